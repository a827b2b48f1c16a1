/**
 * The name-keys worker (a worker_threads entry: dist/name-keys-worker.js in the bundle). It holds
 * pinyin-pro's dictionary, so the server's event loop never loads it (decisions/0090), and answers
 * each batch of names with their search keys, in order. It reads one name as soon as it starts, so
 * the dictionary and its trie are built before the first batch arrives.
 */
import { parentPort } from 'node:worker_threads';
import { type SearchKeys, searchKeys } from './chinese.js';

export interface NameKeysRequest {
  id: number;
  names: string[];
}
export type NameKeysReply = { id: number; ok: true; keys: SearchKeys[] } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('name-keys.worker must run as a worker thread');
searchKeys('張三');
port.on('message', ({ id, names }: NameKeysRequest) => {
  let reply: NameKeysReply;
  try {
    reply = { id, ok: true, keys: names.map(searchKeys) };
  } catch (err) {
    reply = { id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
