/**
 * The `content-disposition` of a download: any file name (Chinese included) as RFC 6266 / 8187
 * `filename*`, so the browser saves it under that name.
 */
export function attachment(fileName: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
