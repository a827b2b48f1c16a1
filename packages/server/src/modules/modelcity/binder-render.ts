import { renderTask } from '../../platform/files/render-pool.js';
import type { BinderInput } from './binder.js';

/**
 * The binder's DOCX and self-assessment xlsx, made in the render worker (decisions/0077): on the
 * living city they held the event loop ~90 ms at a stretch. binder.ts (docx, exceljs) loads in the
 * worker at the first binder, not in the server (decisions/0063).
 */
export const BINDER_RENDER = renderTask<BinderInput, { docx: Buffer; xlsx: Buffer }>(
  'modelcity.binder',
  async () => (await import('./binder.js')).binderFiles,
);
