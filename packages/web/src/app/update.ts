/**
 * The service worker's update prompt (decisions/0016): a new deployment's worker waits; the page
 * is told here and shows "新版本可用，刷新". Applying it activates the new worker and reloads the
 * page — unsent drafts live in IndexedDB, which a reload keeps.
 */
type Listener = (apply: (() => void) | null) => void;

let pending: (() => void) | null = null;
const listeners = new Set<Listener>();

export function updateReady(apply: () => void): void {
  pending = apply;
  for (const l of listeners) l(pending);
}

/** Calls `listener` now and on every change with the function that applies the waiting update. */
export function onUpdate(listener: Listener): () => void {
  listeners.add(listener);
  listener(pending);
  return () => listeners.delete(listener);
}

/** Registers the service worker (production builds only), after the page has loaded. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const go = () =>
    void import('virtual:pwa-register')
      .then(({ registerSW }) => {
        const update = registerSW({ onNeedRefresh: () => updateReady(() => void update(true)) });
      })
      .catch(() => {
        // no worker: the app still works online
      });
  if (document.readyState === 'complete') go();
  else window.addEventListener('load', go, { once: true });
}
