/**
 * Lets the event loop run timers and other requests' I/O before going on. Long synchronous work —
 * parsing, and with better-sqlite3 every statement — calls it between chunks so that no request
 * holds the loop for long (DESIGN §5: no block > 50 ms). Inside a Kysely transaction the other
 * requests' queries wait for the connection meanwhile; nothing else sees the open transaction.
 */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
