import type { Cockpit } from '@shuangyong/shared';
import { renderTask } from '../../platform/files/render-pool.js';

/** What the render worker makes a brief from: the cockpit's figures, who issues it and the day. */
export interface BriefInput {
  cockpit: Cockpit;
  orgName: string;
  day: string;
}
export interface BriefFiles {
  docx: Buffer;
  pdf: Buffer;
}

/** The daily brief's charts, DOCX and PDF, made in the render worker (decisions/0077). */
export const BRIEF_RENDER = renderTask<BriefInput, BriefFiles>(
  'cockpit.brief',
  async () => (await import('./brief-docs.js')).briefFiles,
);
