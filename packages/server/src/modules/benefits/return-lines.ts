import type { ReturnLine } from './reconcile.js';

/**
 * The lines of a return file by person (blind index), as the reconciliation holds them until the
 * findings are known (decisions/0070): per line only the numbers `judge` reads — row number,
 * amount in fen, paid — in typed arrays, and a chain of each person's lines in file order; per
 * person its blind index (a string the caller already holds, e.g. the ID memo's). No object and no
 * cell text per line: a file's lines survive the young generation's collections as a few arrays,
 * not as ~24,000 objects and the texts they point into. The cells of the few lines kept (people
 * with a finding) are read again from the file (`cellsOfRows`).
 */
export class ReturnLinesByPerson {
  private rowNumbers = new Int32Array(1024);
  private fens = new Float64Array(1024);
  private paids = new Uint8Array(1024);
  /** The next line of the same person (-1: none). */
  private nexts = new Int32Array(1024);
  /** Per person: its first and last line. */
  private heads = new Int32Array(1024);
  private tails = new Int32Array(1024);
  private readonly byBi = new Map<string, number>();
  /** The blind index of each person, in order of first appearance. */
  readonly bis: string[] = [];
  /** Lines held. */
  count = 0;

  add(bi: string, rowNumber: number, fen: number, paid: boolean): void {
    const i = this.count;
    if (i === this.rowNumbers.length) {
      const n = i * 2;
      this.rowNumbers = grow(this.rowNumbers, new Int32Array(n));
      this.fens = grow(this.fens, new Float64Array(n));
      this.paids = grow(this.paids, new Uint8Array(n));
      this.nexts = grow(this.nexts, new Int32Array(n));
    }
    this.rowNumbers[i] = rowNumber;
    this.fens[i] = fen;
    this.paids[i] = paid ? 1 : 0;
    this.nexts[i] = -1;
    this.count = i + 1;
    const p = this.byBi.get(bi);
    if (p === undefined) {
      const q = this.bis.length;
      if (q === this.heads.length) {
        this.heads = grow(this.heads, new Int32Array(q * 2));
        this.tails = grow(this.tails, new Int32Array(q * 2));
      }
      this.bis.push(bi);
      this.byBi.set(bi, q);
      this.heads[q] = i;
      this.tails[q] = i;
    } else {
      this.nexts[this.tails[p]!] = i;
      this.tails[p] = i;
    }
  }

  has(bi: string): boolean {
    return this.byBi.has(bi);
  }

  /** The index of the person with this blind index (as in `bis`, `linesOf`), or undefined. */
  indexOf(bi: string): number | undefined {
    return this.byBi.get(bi);
  }

  /** People held. */
  get persons(): number {
    return this.bis.length;
  }

  /**
   * The lines of the `p`-th person in file order, made for `judge` (short-lived): `name` and
   * `idMasked` are empty — the texts of a finding's line come from the file (`cellsOfRows`).
   */
  linesOf(p: number): ReturnLine[] {
    const bi = this.bis[p]!;
    const out: ReturnLine[] = [];
    for (let i = this.heads[p]!; i !== -1; i = this.nexts[i]!)
      out.push({
        rowNumber: this.rowNumbers[i]!,
        idBi: bi,
        fen: this.fens[i]!,
        paid: this.paids[i] === 1,
        name: '',
        idMasked: '',
      });
    return out;
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
