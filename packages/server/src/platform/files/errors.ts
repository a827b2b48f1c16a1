import type { MessageKey } from '@shuangyong/shared';
import { AppError } from '../errors.js';

/** A key of packages/shared/src/i18n/files.zh-CN.ts. */
export type FilesMessageKey = `files.${string}`;

/** Why an uploaded file was refused (each one a stable machine code). */
export type FileErrorCode =
  | 'file_empty'
  | 'file_too_large'
  | 'file_type_unsupported'
  | 'file_not_spreadsheet'
  | 'file_legacy_xls'
  | 'file_not_xlsx'
  | 'file_markup_sheet'
  | 'file_corrupt'
  | 'file_zip_bomb'
  | 'file_unknown_encoding'
  | 'file_csv_unclosed_quote'
  | 'file_no_worksheet'
  | 'file_too_many_rows'
  | 'file_no_header';

const STATUS: Partial<Record<FileErrorCode, number>> = {
  file_too_large: 413,
  file_zip_bomb: 413,
  file_type_unsupported: 415,
  file_not_spreadsheet: 415,
  file_legacy_xls: 415,
  file_not_xlsx: 415,
  file_markup_sheet: 415,
};

/**
 * A refused or unreadable upload. It is an AppError, so the one HTTP error handler answers it as
 * problem+json (413 too large / zip bomb, 415 wrong type, 400 otherwise) with the Chinese message.
 */
export class FileError extends AppError {
  constructor(
    readonly fileCode: FileErrorCode,
    readonly key: FilesMessageKey,
    params?: Record<string, string | number>,
  ) {
    super(STATUS[fileCode] ?? 400, fileCode, key as MessageKey, params);
    this.name = 'FileError';
  }
}

/**
 * An error as a worker thread posts it: a refused file as its code, message key and parameters
 * (rebuilt as the same FileError), anything else as its message.
 */
export type WorkerFailure = {
  fileCode?: FileErrorCode;
  key?: FilesMessageKey;
  params?: Record<string, string | number>;
  message?: string;
};

/** `err` as a worker posts it (`fromWorkerFailure` rebuilds it on the other side). */
export function toWorkerFailure(err: unknown): WorkerFailure {
  return err instanceof FileError
    ? { fileCode: err.fileCode, key: err.key, ...(err.params ? { params: err.params } : {}) }
    : { message: err instanceof Error ? err.message : String(err) };
}

/** The error a worker posted (`toWorkerFailure`). */
export function fromWorkerFailure(m: WorkerFailure, fallback: string): Error {
  return m.fileCode && m.key ? new FileError(m.fileCode, m.key, m.params) : new Error(m.message ?? fallback);
}
