// The part of archiver 7 (a CommonJS package without its own types) that zip-write.ts uses.
declare module 'archiver' {
  import type { Transform } from 'node:stream';

  interface EntryData {
    name: string;
    date?: Date;
  }
  interface Archiver extends Transform {
    append(source: Buffer | string, data: EntryData): this;
    finalize(): Promise<void>;
    pointer(): number;
  }
  interface ArchiverOptions {
    store?: boolean;
    zlib?: { level?: number };
    forceZip64?: boolean;
  }
  function archiver(format: 'zip', options?: ArchiverOptions): Archiver;
  export default archiver;
}
