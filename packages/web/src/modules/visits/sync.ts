import { ApiError } from '../../api/client';
import { visitsApi } from './api';
import { type Draft, drafts } from './drafts';

export type SyncResult = { sent: number; conflicts: number; pending: number };

/** Sends every pending draft once; network failures leave it pending, refusals mark it. */
export async function syncDrafts(): Promise<SyncResult> {
  const result: SyncResult = { sent: 0, conflicts: 0, pending: 0 };
  for (const d of await drafts.all()) {
    if (d.state !== 'pending') {
      result.conflicts++;
      continue;
    }
    try {
      if (d.kind === 'create') await visitsApi.record({ ...d.body, clientKey: d.clientKey });
      else await visitsApi.update(d.visitId!, d.body);
      await drafts.remove(d.clientKey);
      result.sent++;
    } catch (err) {
      if (err instanceof ApiError && err.status > 0 && err.status !== 503) {
        const next: Draft = { ...d, state: err.status === 409 ? 'conflict' : 'error', message: err.display };
        await drafts.put(next);
        result.conflicts++;
      } else result.pending++;
    }
  }
  return result;
}
