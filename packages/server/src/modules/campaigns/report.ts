import { render, renderTask } from '../../platform/files/render-pool.js';
import type { CampaignSummary } from './dashboard.js';

/** Writes the campaign summary report (工作情况报告). One implementation: DOCX via the `docx` package. */
export interface SummaryReportWriter {
  readonly mime: string;
  readonly extension: string;
  write(summary: CampaignSummary): Promise<Buffer>;
}

export { chineseDate, reportTitle } from './report-title.js';

/** The report as DOCX, made in the render worker (decisions/0077), where report-docx.ts and docx load. */
export const REPORT_RENDER = renderTask<CampaignSummary, Buffer>(
  'campaigns.report',
  async () => (await import('./report-docx.js')).summaryDocx,
);

/**
 * The report as a government office writes it (report-docx.ts), made in the render worker: the
 * docx package loads there at the first report, not at the server's start (decisions/0063, 0077).
 */
export class DocxSummaryWriter implements SummaryReportWriter {
  readonly mime = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  readonly extension = 'docx';

  async write(s: CampaignSummary): Promise<Buffer> {
    return render(REPORT_RENDER, s);
  }
}
