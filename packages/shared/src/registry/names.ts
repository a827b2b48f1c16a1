import { fail, type Result } from './result.js';

/**
 * Folds full-width ASCII forms (U+FF01–U+FF5E: ０-９, Ａ-Ｚ, ａ-ｚ, full-width punctuation) to their
 * ASCII counterparts and the ideographic space (U+3000) to a plain space. Other text is unchanged.
 */
export function foldFullWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/**
 * The middle dot of transcribed names (阿不都热依木·买买提) is typed in many ways: ‧ • ・ ･ ∙ ⋅ and the
 * Greek ano teleia (U+0387). All of them become U+00B7 '·'.
 */
const DOT_VARIANTS = /[\u00B7\u0387\u2027\u2022\u2219\u22C5\u30FB\uFF65]/g;

/** Replaces the middle-dot variants with '·' (U+00B7). */
export function normalizeMiddleDot(s: string): string {
  return s.replace(DOT_VARIANTS, '·');
}

/** Zero-width characters that arrive with copy-and-paste and are never part of a name. */
const ZERO_WIDTH = /[\u200B\u2060\uFEFF]/g;

/** Markup and SQL punctuation that is refused outright in names: < > ' " ; ` \ and `--`. */
const FORBIDDEN = /[<>'";`\\]|--/;

/** Letters and marks of any script (Han, Latin, Uyghur Arabic script, Cyrillic), space, '·', '-', '.'. */
const NAME_CHARS = /^[\p{L}\p{M} ·.-]+$/u;

/** Most names are stored in at most 64 characters (code points, not UTF-16 units). */
export const NAME_MAX_LENGTH = 64;

/**
 * Collapses whitespace, removes spaces between two Han characters (张 三 → 张三) and around '·',
 * and keeps a single space inside names written in Latin, Cyrillic or Uyghur script.
 */
function normalizeSpaces(s: string): string {
  return s
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/\s*·\s*/g, '·')
    .replace(/(\p{Script=Han}) (?=\p{Script=Han})/gu, '$1');
}

/**
 * Normalises a person's name from a form or spreadsheet cell: folds full-width letters, digits and
 * spaces, trims, joins spaced-out Han characters, unifies the middle dot of transcribed names and
 * refuses empty names, names longer than 64 characters, digits and markup/SQL punctuation.
 */
export function normalizeName(raw: string): Result<{ value: string }> {
  const value = normalizeSpaces(normalizeMiddleDot(foldFullWidth(raw).replace(ZERO_WIDTH, '')));
  if (value === '') return fail('registry.name.empty');
  if ([...value].length > NAME_MAX_LENGTH) return fail('registry.name.tooLong');
  if (/\p{Nd}/u.test(value)) return fail('registry.name.digits');
  if (FORBIDDEN.test(value)) return fail('registry.name.forbiddenChars');
  if (!NAME_CHARS.test(value)) return fail('registry.name.invalidChars');
  if (/^[·.-]|[·-]$|··/.test(value)) return fail('registry.name.misplacedPunctuation');
  return { ok: true, value };
}
