import { type RequestOptions, send } from './client';

/** A file the server sent (xlsx exports, templates, error reports). */
export interface DownloadedFile {
  blob: Blob;
  /** From content-disposition; `fallback` when the header names none. */
  fileName: string;
}

/** Fetches a file; the file name comes from content-disposition (RFC 6266 `filename*` first). */
export async function requestFile(
  method: string,
  path: string,
  fallback: string,
  options: RequestOptions = {},
): Promise<DownloadedFile> {
  const res = await send(method, path, options, '*/*');
  return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('content-disposition')) ?? fallback };
}

/** `attachment; filename="a.xlsx"; filename*=UTF-8''%E4%BC%98.xlsx` → `优.xlsx`. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:[\w-]+)?'[^']*'([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // malformed escape: fall back to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(disposition);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name || null;
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // some browsers read the URL after click() returns
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Fetches a file and saves it; resolves to the saved file name. */
export async function downloadFile(
  method: string,
  path: string,
  fallback: string,
  options: RequestOptions = {},
): Promise<string> {
  const file = await requestFile(method, path, fallback, options);
  saveBlob(file.blob, file.fileName);
  return file.fileName;
}
