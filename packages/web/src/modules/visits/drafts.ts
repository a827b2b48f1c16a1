/**
 * Offline drafts of visit records in IndexedDB: each keeps its client idempotency key, so sending it
 * again after a lost answer never creates a second visit. Edits keep the version they started from;
 * a 409 from the server marks the draft as a conflict for the user to resolve.
 *
 * A draft's photos: their Blobs in the `photos` store (keyed by a local id, indexed by the draft's
 * key), their names and upload state in the draft itself. Each step of sending is written to the
 * draft before the next one starts (the visit's id once it is saved, then each photo's server id,
 * its Blob dropped in the same transaction), so a retry resumes where the last attempt stopped.
 */
import { canSeal, type Sealed, seal, sealJson, unseal, unsealJson } from '../../lib/seal';

export type PhotoType = 'image/jpeg' | 'image/png';

export interface DraftPhoto {
  /** Local id: the Blob is kept under it in the `photos` store until uploaded. */
  id: string;
  name: string;
  type: PhotoType;
  size: number;
  /** The server's photo id once uploaded: never sent again. */
  uploadedId?: string;
}

export interface Draft {
  clientKey: string;
  /**
   * Whose it is: only that user sees, sends or discards it. A logged-out user's drafts stay on the
   * phone, sealed, until the same user logs in again (decisions/0016). Absent on drafts stored
   * before users were recorded: the first user to open the form takes them.
   */
  userId?: string;
  kind: 'create' | 'edit';
  /** The visit edited; for a create, its id once the server has saved it. */
  visitId?: string;
  /** The visit itself is saved (create or edit); only photos may remain. */
  saved?: boolean;
  targetName: string;
  body: Record<string, unknown>;
  /** Absent on drafts stored before photos existed (version 1 of the database). */
  photos?: DraftPhoto[];
  savedAt: string;
  state: 'pending' | 'conflict' | 'error';
  message?: string;
}

/**
 * A draft as stored: with its user's key at hand (lib/seal.ts), the target's name and the visit
 * (who, what was given, needs, notes) are sealed together; state, times and photo names are not.
 */
interface StoredDraft extends Omit<Draft, 'targetName' | 'body'> {
  targetName?: string;
  body?: Record<string, unknown>;
  sealed?: Sealed;
}

/** A photo's Blob as stored: sealed under its user's key (with its type), or as it was. */
interface StoredPhoto {
  id: string;
  clientKey: string;
  userId?: string;
  blob?: Blob;
  sealed?: Sealed;
  type?: string;
}

async function toStored(d: Draft): Promise<StoredDraft> {
  if (!d.userId || !canSeal(d.userId)) return d;
  const { targetName, body, ...rest } = d;
  return { ...rest, sealed: await sealJson(d.userId, { targetName, body }) };
}

/** The draft, or null when it is sealed under a key not at hand (another user, or logged out). */
async function fromStored(s: StoredDraft): Promise<Draft | null> {
  if (!s.sealed) return s as Draft;
  if (!s.userId) return null;
  const open = await unsealJson<Pick<Draft, 'targetName' | 'body'>>(s.userId, s.sealed);
  if (!open) return null;
  const { sealed: _, ...rest } = s;
  return { ...rest, ...open };
}

async function photoToStored(d: Draft, id: string, blob: Blob): Promise<StoredPhoto> {
  if (!d.userId || !canSeal(d.userId)) return { id, clientKey: d.clientKey, blob };
  const sealed = await seal(d.userId, await blob.arrayBuffer());
  return { id, clientKey: d.clientKey, userId: d.userId, sealed, type: blob.type };
}

const DB = 'sy-visits';
const VERSION = 2;
const STORE = 'drafts';
const PHOTOS = 'photos';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = (e) => {
      const db = req.result;
      // version 1: drafts; version 2: their photos (drafts of version 1 are kept as they are)
      if (e.oldVersion < 1) db.createObjectStore(STORE, { keyPath: 'clientKey' });
      if (e.oldVersion < 2) db.createObjectStore(PHOTOS, { keyPath: 'id' }).createIndex('clientKey', 'clientKey');
    };
    req.onsuccess = () => {
      // another tab opening a newer version must not wait for this one
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error);
  });
}

/** One transaction over both stores; resolves once it is committed. */
async function transact<T = undefined>(
  mode: IDBTransactionMode,
  work: (drafts: IDBObjectStore, photos: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const t = db.transaction([STORE, PHOTOS], mode);
    const req = work(t.objectStore(STORE), t.objectStore(PHOTOS));
    t.oncomplete = () => {
      db.close();
      resolve(req?.result as T);
    };
    t.onabort = () => {
      db.close();
      reject(t.error);
    };
  });
}

export const drafts = {
  /** Every draft that can be read here (drafts sealed under another user's key are left out). */
  all: async () => {
    const stored = await transact<StoredDraft[]>('readonly', (s) => s.getAll() as IDBRequest<StoredDraft[]>);
    return (await Promise.all(stored.map(fromStored))).filter((d): d is Draft => d !== null);
  },
  /** This user's drafts, oldest first (drafts stored before users were recorded count as theirs). */
  mine: async (userId: string) =>
    (await drafts.all())
      .filter((d) => d.userId === undefined || d.userId === userId)
      .sort((a, b) => a.savedAt.localeCompare(b.savedAt)),
  get: async (key: string) => {
    const stored = await transact<StoredDraft | undefined>(
      'readonly',
      (s) => s.get(key) as IDBRequest<StoredDraft | undefined>,
    );
    return stored ? ((await fromStored(stored)) ?? undefined) : undefined;
  },
  /** How many drafts the phone holds, readable or sealed. */
  count: () => transact<number>('readonly', (s) => s.count()),
  /** Stores a draft and, with it, the Blobs of its photos (all or nothing), sealed when its user's key is at hand. */
  put: async (d: Draft, blobs: ReadonlyMap<string, Blob> = new Map()) => {
    // sealed before the transaction opens: it would not wait for the crypto
    const stored = await toStored(d);
    const photos = await Promise.all([...blobs].map(([id, blob]) => photoToStored(d, id, blob)));
    return transact('readwrite', (s, store) => {
      s.put(stored);
      for (const p of photos) store.put(p);
      return undefined;
    });
  },
  /** Stores a draft's new state and drops the Blobs it no longer needs, in one transaction. */
  update: async (d: Draft, dropBlobs: readonly string[]) => {
    const stored = await toStored(d);
    return transact('readwrite', (s, photos) => {
      s.put(stored);
      for (const id of dropBlobs) photos.delete(id);
      return undefined;
    });
  },
  photo: async (id: string): Promise<Blob | undefined> => {
    const p = await transact<StoredPhoto | undefined>('readonly', (_s, photos) => photos.get(id));
    if (!p) return undefined;
    if (!p.sealed) return p.blob;
    const plain = p.userId ? await unseal(p.userId, p.sealed) : null;
    return plain ? new Blob([plain], { type: p.type }) : undefined;
  },
  /** Removes a draft with every Blob of its photos. */
  remove: (key: string) =>
    transact('readwrite', (s, photos) => {
      s.delete(key);
      const keys = photos.index('clientKey').getAllKeys(key);
      keys.onsuccess = () => {
        for (const id of keys.result) photos.delete(id);
      };
      return undefined;
    }),
};
