import type { Visit } from '@shuangyong/shared';
import { ApiError, ensureCsrfToken } from '../../api/client';
import { visitsApi } from '../../api/visits';
import { t } from '../../i18n';
import { type Draft, drafts } from './drafts';

/** A photo the server refused (type, size, damage, too many): dropped from its draft, never retried. */
export interface PhotoRefusal {
  targetName: string;
  name: string;
  message: string;
}
export type SyncResult = { sent: number; conflicts: number; pending: number; refusedPhotos: PhotoRefusal[] };

/** What became of one draft: sent (with the visit when this attempt saved it), kept for later, or refused. */
export type SendOutcome =
  | { state: 'sent'; visit?: Visit }
  | { state: 'pending'; error?: ApiError }
  | { state: 'refused'; error: ApiError };

/** The draft being sent now (null: none), for the outbox to show "正在发送". */
let sendingKey: string | null = null;
const sendingListeners = new Set<(key: string | null) => void>();
function setSending(key: string | null) {
  sendingKey = key;
  for (const l of sendingListeners) l(key);
}
/** Calls `listener` now and whenever another draft starts or stops being sent. */
export function onSending(listener: (key: string | null) => void): () => void {
  sendingListeners.add(listener);
  listener(sendingKey);
  return () => sendingListeners.delete(listener);
}

/** Answers worth retrying later: no network, the session or the rate limit, the server unavailable. */
const RETRY = new Set([0, 401, 429, 502, 503, 504]);
/** Answers refusing a photo for good: it is dropped from the draft and reported. */
const PHOTO_REFUSED = new Set([400, 404, 413, 415, 422]);

let chain: Promise<unknown> = Promise.resolve();
/**
 * Runs one sending at a time (across tabs where the browser has Web Locks): two sends of the same
 * draft at once would each upload its photos.
 */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks)
    return navigator.locks.request('sy-visits-sync', work) as Promise<T>;
  const run = chain.then(work, work);
  chain = run.catch(() => {});
  return run;
}

/**
 * Sends a draft: the visit (once — its client key makes a repeat return the same visit), then each
 * photo not yet uploaded. Every step is written to the draft before the next, and the draft is
 * removed only when the visit and all its photos are done.
 */
async function send(d: Draft, refused: PhotoRefusal[]): Promise<SendOutcome> {
  // an app opened offline has no CSRF token yet: it comes with the session check
  if (!(await ensureCsrfToken())) return { state: 'pending' };
  setSending(d.clientKey);
  try {
    return await sendSteps(d, refused);
  } finally {
    setSending(null);
  }
}

async function sendSteps(d: Draft, refused: PhotoRefusal[]): Promise<SendOutcome> {
  let draft = d;
  let visit: Visit | undefined;
  try {
    if (!draft.saved) {
      if (draft.kind === 'create') visit = await visitsApi.record({ ...draft.body, clientKey: draft.clientKey });
      else visit = await visitsApi.update(draft.visitId!, draft.body);
      draft = { ...draft, visitId: visit.id, saved: true };
      await drafts.put(draft);
    }
  } catch (err) {
    if (!(err instanceof ApiError)) return { state: 'pending' };
    return RETRY.has(err.status) ? { state: 'pending', error: err } : { state: 'refused', error: err };
  }
  for (const p of draft.photos ?? []) {
    if (p.uploadedId) continue;
    const blob = await drafts.photo(p.id);
    let refusal: string | null = null;
    if (!blob) refusal = t('web.visits.photoLost');
    else
      try {
        const up = await visitsApi.uploadPhoto(draft.visitId!, blob, p.type);
        draft = { ...draft, photos: draft.photos!.map((x) => (x.id === p.id ? { ...x, uploadedId: up.id } : x)) };
      } catch (err) {
        if (!(err instanceof ApiError && PHOTO_REFUSED.has(err.status)))
          return { state: 'pending', error: err instanceof ApiError ? err : undefined };
        refusal = err.display;
      }
    if (refusal !== null) {
      refused.push({ targetName: draft.targetName, name: p.name, message: refusal });
      draft = { ...draft, photos: draft.photos!.filter((x) => x.id !== p.id) };
    }
    await drafts.update(draft, [p.id]);
  }
  await drafts.remove(draft.clientKey);
  return { state: 'sent', visit };
}

/** Marks a draft the server refused (409: a conflict) for the user to see. */
async function markRefused(d: Draft, error: ApiError) {
  const current = (await drafts.get(d.clientKey)) ?? d;
  await drafts.put({ ...current, state: error.status === 409 ? 'conflict' : 'error', message: error.display });
}

/** Sends the draft stored under this key now (the form's save); gone means another sending took it. */
export function sendDraft(clientKey: string): Promise<{ outcome: SendOutcome | null; refusedPhotos: PhotoRefusal[] }> {
  return exclusive(async () => {
    const refusedPhotos: PhotoRefusal[] = [];
    const d = await drafts.get(clientKey);
    if (!d) return { outcome: null, refusedPhotos };
    return { outcome: await send(d, refusedPhotos), refusedPhotos };
  });
}

/** Puts a refused draft back in the queue (the user's 重试), to be sent with the next sync. */
export async function requeue(clientKey: string): Promise<void> {
  const d = await drafts.get(clientKey);
  if (d && d.state !== 'pending') await drafts.put({ ...d, state: 'pending', message: undefined });
}

/**
 * Sends every pending draft of this user once (other users' drafts stay sealed); network failures
 * leave it pending, refusals mark it.
 */
export function syncDrafts(userId: string): Promise<SyncResult> {
  return exclusive(async () => {
    const result: SyncResult = { sent: 0, conflicts: 0, pending: 0, refusedPhotos: [] };
    for (const d of await drafts.mine(userId)) {
      if (d.state !== 'pending') {
        result.conflicts++;
        continue;
      }
      const outcome = await send(d, result.refusedPhotos);
      if (outcome.state === 'sent') result.sent++;
      else if (outcome.state === 'pending') result.pending++;
      else {
        await markRefused(d, outcome.error);
        result.conflicts++;
      }
    }
    return result;
  });
}
