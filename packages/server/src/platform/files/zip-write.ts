import { once } from 'node:events';
import type { Readable } from 'node:stream';
import archiver from 'archiver';

export interface ZipInput {
  name: string;
  data: Buffer;
  date?: Date;
}

/**
 * A zip written as a stream by archiver (a maintained streaming zip library; zip64 when an archive
 * outgrows 4 GiB or 65,535 entries, UTF-8 names): entries are pulled from `entries` one at a
 * time, each once the previous one has gone into the archive, so only one entry is held in memory
 * however many there are. `store` skips compression (DOCX and XLSX are deflated inside already).
 * Pipe the result where the zip goes (jobs.writeArtefactStream seals it on the way to disk).
 */
export function writeZip(
  entries: AsyncIterable<ZipInput> | Iterable<ZipInput>,
  opts: { store?: boolean } = {},
): Readable {
  const archive = archiver('zip', opts.store ? { store: true } : { zlib: { level: 6 } });
  void (async () => {
    for await (const e of entries) {
      const added = once(archive, 'entry');
      archive.append(e.data, { name: e.name, date: e.date ?? new Date() });
      await added;
    }
    await archive.finalize();
  })().catch((err: Error) => archive.destroy(err));
  return archive;
}
