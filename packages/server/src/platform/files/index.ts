export * from './cells.js';
export * from './decode.js';
export * from './errors.js';
export * from './export.js';
export * from './headers.js';
export * from './sniff.js';
export * from './table.js';
export type { ZipDirectory, ZipEntry, ZipLimits } from './zip.js';
export { readZipDirectory, ZIP_DEFAULTS } from './zip.js';
