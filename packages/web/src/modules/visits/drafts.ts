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

interface StoredPhoto {
  id: string;
  clientKey: string;
  blob: Blob;
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
  all: () => transact<Draft[]>('readonly', (s) => s.getAll() as IDBRequest<Draft[]>),
  /** This user's drafts, oldest first (drafts stored before users were recorded count as theirs). */
  mine: async (userId: string) =>
    (await drafts.all())
      .filter((d) => d.userId === undefined || d.userId === userId)
      .sort((a, b) => a.savedAt.localeCompare(b.savedAt)),
  get: (key: string) => transact<Draft | undefined>('readonly', (s) => s.get(key) as IDBRequest<Draft | undefined>),
  /** Stores a draft and, with it, the Blobs of its photos (all or nothing). */
  put: (d: Draft, blobs: ReadonlyMap<string, Blob> = new Map()) =>
    transact('readwrite', (s, photos) => {
      s.put(d);
      for (const [id, blob] of blobs) photos.put({ id, clientKey: d.clientKey, blob } satisfies StoredPhoto);
      return undefined;
    }),
  /** Stores a draft's new state and drops the Blobs it no longer needs, in one transaction. */
  update: (d: Draft, dropBlobs: readonly string[]) =>
    transact('readwrite', (s, photos) => {
      s.put(d);
      for (const id of dropBlobs) photos.delete(id);
      return undefined;
    }),
  photo: (id: string) =>
    transact<StoredPhoto | undefined>('readonly', (_s, photos) => photos.get(id)).then((p) => p?.blob),
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
