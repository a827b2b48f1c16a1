/**
 * The thumbnail worker (a worker_threads entry: dist/thumbnail-worker.js in the bundle). It takes
 * one job at a time from ThumbnailPool and answers each with the thumbnail or the reason there is
 * none; an exception never escapes, so the worker outlives a bad photo.
 */
import { parentPort } from 'node:worker_threads';
import type { ImageType as PhotoType } from './image.js';
import { makeThumbnail, ThumbnailError } from './thumbnail.js';

export interface ThumbnailRequest {
  id: number;
  data: Uint8Array;
  type: PhotoType;
  orientation: number;
}
export type ThumbnailReply =
  | { id: number; ok: true; jpeg: Uint8Array; width: number; height: number; ms: number }
  | { id: number; ok: false; reason: 'too_large' | 'corrupt'; message: string; ms: number };

const port = parentPort;
if (!port) throw new Error('thumbnail.worker must run as a worker thread');
port.on('message', async (job: ThumbnailRequest) => {
  const started = performance.now();
  let reply: ThumbnailReply;
  try {
    const t = await makeThumbnail(job.data, job.type, job.orientation);
    reply = { id: job.id, ok: true, jpeg: t.jpeg, width: t.width, height: t.height, ms: performance.now() - started };
  } catch (err) {
    reply = {
      id: job.id,
      ok: false,
      reason: err instanceof ThumbnailError ? err.reason : 'corrupt',
      message: err instanceof Error ? err.message : String(err),
      ms: performance.now() - started,
    };
  }
  port.postMessage(reply);
});
