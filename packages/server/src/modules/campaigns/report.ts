import type { CampaignSummary } from './dashboard.js';

/** Writes the campaign summary report (工作情况报告). One implementation: DOCX via the `docx` package. */
export interface SummaryReportWriter {
  readonly mime: string;
  readonly extension: string;
  write(summary: CampaignSummary): Promise<Buffer>;
}

export { chineseDate, reportTitle } from './report-title.js';

/**
 * The report as a government office writes it (report-docx.ts), loaded with the docx package at
 * the first report rather than at start-up (docs/decisions/0063).
 */
export class DocxSummaryWriter implements SummaryReportWriter {
  readonly mime = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  readonly extension = 'docx';

  async write(s: CampaignSummary): Promise<Buffer> {
    return (await import('./report-docx.js')).summaryDocx(s);
  }
}
