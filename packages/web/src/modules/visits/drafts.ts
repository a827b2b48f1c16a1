/**
 * Offline drafts of visit records in IndexedDB: each keeps its client idempotency key, so sending it
 * again after a lost answer never creates a second visit. Edits keep the version they started from;
 * a 409 from the server marks the draft as a conflict for the user to resolve.
 */
export interface Draft {
  clientKey: string;
  kind: 'create' | 'edit';
  visitId?: string;
  targetName: string;
  body: Record<string, unknown>;
  savedAt: string;
  state: 'pending' | 'conflict' | 'error';
  message?: string;
}

const DB = 'sy-visits';
const STORE = 'drafts';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientKey' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = run(t.objectStore(STORE));
    t.oncomplete = () => {
      db.close();
      resolve(req.result);
    };
    t.onerror = () => reject(t.error);
  });
}

export const drafts = {
  all: () => tx<Draft[]>('readonly', (s) => s.getAll() as IDBRequest<Draft[]>),
  put: (d: Draft) => tx('readwrite', (s) => s.put(d)),
  remove: (key: string) => tx('readwrite', (s) => s.delete(key)),
};
