/**
 * The render worker (a worker_threads entry: dist/render-worker.js in the bundle), started by the
 * render pool (platform/files/render-pool.ts, decisions/0077). It knows every renderer the server
 * runs off the event loop; a renderer's code loads at its first render. A new renderer is one
 * renderTask beside its code and one entry here.
 */
import { CARD_RENDER } from './modules/benefits/card.js';
import { REPORT_RENDER } from './modules/campaigns/report.js';
import { BRIEF_RENDER } from './modules/cockpit/renders.js';
import { BINDER_RENDER } from './modules/modelcity/binder-render.js';
import { LETTER_RENDER, LETTERS_RENDER } from './platform/files/letter.js';
import { serveRenders } from './platform/files/render-pool.js';

serveRenders([BINDER_RENDER, BRIEF_RENDER, CARD_RENDER, LETTER_RENDER, LETTERS_RENDER, REPORT_RENDER]);
