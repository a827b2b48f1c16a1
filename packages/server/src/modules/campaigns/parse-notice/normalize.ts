import { toSimplified } from '../../../platform/text/chinese.js';

/**
 * Text of a notice as it arrives (pasted from a web page, a WPS document or a chat message) →
 * one canonical form the structure parser can rely on:
 * - garbled runs removed (U+FFFD, private-use characters, 锟斤拷/烫烫烫, UTF-8 read as CP1252);
 * - full-width ASCII folded, then punctuation next to Chinese written the Chinese way (，。；：（）);
 * - pinyin annotations after characters removed: 节(jié)日, 來（lái）, 节jié日;
 * - traditional characters → simplified (opencc);
 * - spaces next to Chinese removed; a wide gap (two or more spaces, a tab) inside a line is kept as
 *   a tab, because signature lines put two issuers on one line that way.
 */
export interface Normalized {
  /** Lines, trimmed, empty ones dropped; '\t' marks a wide gap. */
  lines: string[];
  /** True when garbled characters were removed. */
  garbled: boolean;
  /** What was repaired, with the lines (1-based, of the pasted text) where, so the user can look. */
  repairs: {
    garbledLines: number[];
    pinyinLines: number[];
    joinedLines: number;
    pageLines: number;
  };
}

const HAN = '\\p{Script=Han}';
/** Chinese punctuation after canonicalisation (spaces next to these are dropped too). */
const CN_PUNCT = '，。、；：？！（）“”‘’《》〔〕【】…—·';
const CJK = `[${HAN}${CN_PUNCT}]`;

// ---- garbled characters ----

/** CP1252 renderings of the UTF-8 continuation bytes 0x80–0xBF. */
const CONT =
  '[\\u0080-\\u00BF\\u20AC\\u201A\\u0192\\u201E\\u2026\\u2020\\u2021\\u02C6\\u2030\\u0160\\u2039\\u0152\\u017D\\u2018\\u2019\\u201C\\u201D\\u2022\\u2013\\u2014\\u02DC\\u2122\\u0161\\u203A\\u0153\\u017E\\u0178]';
/** UTF-8 read as CP1252/Latin-1: "ä¸€" for 一. At least one three-byte group must be present. */
const MOJIBAKE = new RegExp(
  `(?:[\\u00C2-\\u00DF]${CONT}|[\\u00E0-\\u00EF]${CONT}{2}|[\\u00F0-\\u00F4]${CONT}{3})+`,
  'g',
);
const THREE_BYTE = new RegExp(`[\\u00E0-\\u00EF]${CONT}{2}`);
const GARBLE_RUNS: RegExp[] = [
  /\uFFFD+/g,
  /[\uE000-\uF8FF]+/g, // private use: missing-font boxes
  /(?:锟斤拷)+/g,
  /(?:烫){3,}|(?:屯){3,}|(?:鎷){2,}/g,
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]+/g,
  new RegExp(`(?<=[${HAN}，。、；：,.;:])\\?{2,}|\\?{2,}(?=${HAN})`, 'gu'), // GBK read as ASCII: 双拥???工作
];

function removeGarbled(s: string): { text: string; garbled: boolean } {
  let garbled = false;
  let text = s.replace(MOJIBAKE, (m) => {
    if (!THREE_BYTE.test(m) && m.length < 4) return m;
    garbled = true;
    return '';
  });
  for (const re of GARBLE_RUNS)
    text = text.replace(re, () => {
      garbled = true;
      return '';
    });
  return { text, garbled };
}

// ---- width and spaces ----

function foldWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/「/g, '“')
    .replace(/」/g, '”')
    .replace(/『/g, '‘')
    .replace(/』/g, '’')
    .replace(/\uFF61/g, '。')
    .replace(/\uFF64/g, '、')
    .replace(/\uFE50/g, ',')
    .replace(/\uFE51/g, '、')
    .replace(/\uFE52/g, '.')
    .replace(/[\u3000\u00A0\u1680\u2000-\u200A\u202F\u205F]/g, ' ')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '');
}

// ---- pinyin annotations ----

const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ';
const FINALS =
  'a|ai|an|ang|ao|e|ei|en|eng|er|i|ia|ian|iang|iao|ie|in|ing|iong|iu|o|ong|ou|u|ua|uai|uan|uang|ue|ui|un|uo|v|ve|van|vn';
const SYLLABLE = new RegExp(`^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:${FINALS})$`);

/** A pinyin syllable, with tone marks or a tone digit or neither: jié, lai2, ri. */
export function isPinyinSyllable(token: string): boolean {
  const bare = token
    .normalize('NFD')
    .replace(/u\u0308/g, 'v')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[1-5]$/, '');
  return /^[a-z]{1,6}$/.test(bare) && SYLLABLE.test(bare);
}

/** 节(jié), 节 (jie2), and 节?jié) where the opening bracket was garbled to a question mark. */
const PAREN_ANNOTATION = new RegExp(`(${HAN}{1,8})\\s*[(\\[?]\\s*([a-z${TONED}ü1-5' ]{1,40}?)\\s*[)\\]]`, 'gu');
const BARE_ANNOTATION = new RegExp(
  `(${HAN})([a-zü]*[${TONED}][a-zü]*)(?=${HAN}|[\\s\\d,.;:，。、；：()（）〔〕【】\\[\\]]|$)`,
  'gu',
);

/** Removes pinyin written after characters: 节(jié)日 → 节日, 春节(chūn jié) → 春节, 节jié日 → 节日. */
export function removePinyin(s: string): string {
  const annotated = s.replace(PAREN_ANNOTATION, (whole, han: string, inner: string) => {
    const tokens = inner.split(/[\s']+/).filter(Boolean);
    if (tokens.length > 0 && tokens.length <= [...han].length && tokens.every(isPinyinSyllable)) return han;
    // one syllable broken by a line wrap: (s hù)
    return isPinyinSyllable(inner.replace(/\s+/g, '')) ? han : whole;
  });
  return annotated.replace(BARE_ANNOTATION, (whole, han: string, token: string) =>
    isPinyinSyllable(token) ? han : whole,
  );
}

// ---- punctuation ----

const AFTER_CJK = new RegExp(`(?<=${HAN})\\.(?![A-Za-z])|(?<=[）”])\\.(?![A-Za-z]|\\d(?![.、]))`, 'gu');

/** Half-width punctuation next to Chinese → the Chinese forms; runs of stops collapsed. */
function chinesePunctuation(line: string): string {
  let s = line
    .replace(/(?<=\S)[ \t]+(?=[,.;:!?])/g, '')
    .replace(/\.{3,}|。{3,}|…+/g, '……')
    .replace(/(?<!\d),|,(?!\d)/g, '，')
    .replace(/;/g, '；')
    .replace(/(?<!\d):|:(?!\d)/g, '：')
    .replace(/!/g, '！')
    .replace(/\?/g, '？')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .replace(AFTER_CJK, '。');
  let open = true;
  s = s.replace(/"/g, () => {
    const q = open ? '“' : '”';
    open = !open;
    return q;
  });
  // what removing garbled runs can leave behind
  return s
    .replace(/([，。、；：！？])\1+/g, '$1')
    .replace(/[，、；：]+(?=[。！？])/g, '')
    .replace(/（\s*）/g, '');
}

const SPACE_NEAR_CJK = new RegExp(`(?<=${CJK}) +| +(?=${CJK})`, 'gu');

const SOFT_GAP = new RegExp(`(?<=${HAN}) (?=${HAN})`, 'gu');

/**
 * Trims a line and drops the spaces next to Chinese, keeping a wide gap (two or more spaces, a tab)
 * as '\t' and a single space between two characters as '\v': signature lines and the issuer line
 * above a title separate organisations that way (see `orgNames`).
 */
function tidySpaces(line: string): string {
  return line
    .replace(/[ \t]{2,}|\t/g, '\t')
    .split('\t')
    .map((part) => part.trim().replace(SOFT_GAP, '\v').replace(SPACE_NEAR_CJK, '').replace(/ {2,}/g, ' '))
    .filter(Boolean)
    .join('\t');
}

// ---- PDF: page furniture and hard line breaks ----

/** Page numbers and running page lines a PDF viewer copies between pages. */
const PAGE_FURNITURE =
  /^(?:[-—–－~～\s]*[0-9０-９]{1,3}[-—–－~～\s]*|第\s*[0-9０-９]+\s*页(?:\s*[，,/]?\s*共\s*[0-9０-９]+\s*页)?|共\s*[0-9０-９]+\s*页\s*第\s*[0-9０-９]+\s*页|[0-9０-９]+\s*[/／]\s*[0-9０-９]+)$/;

/** Width of a line as it was laid out: Chinese and full-width characters take two columns. */
function columns(line: string): number {
  let w = 0;
  for (const c of line.replace(/\s+$/, '')) w += c.charCodeAt(0) <= 0xff ? 1 : 2;
  return w;
}

/** Item markers that always start a new line (a heading never continues the line above it). */
const LINE_START =
  /^[\s\u3000]*(?:[一二三四五六七八九十]{1,3}[、是要]|（[一二三四五六七八九十\d]{1,3}）|\(?[0-9０-９]{1,2}[.、．)）]|[①-⑳]|第[一二三四五六七八九十]{1,3}[，、：]|附件|抄送|特此通知)/;
/** A title line ends where it ends, however long (pinyin annotations can make it as wide as the page). */
const TITLE_LINE = /^.{0,40}(?:关于|關於).*(?:通知|通报|通報|意见|意見|方案|决定|決定)$/;
/** Punctuation a line cannot start with: the line above was broken before it. */
const CONTINUES = /^[，。、；：！？）》”’…,.;:!?)]/;

/**
 * Text copied out of a PDF: drops page numbers (- 2 -, 第2页 共3页, a running header repeated
 * after them) and joins lines broken at the page width. The width is the one most lines share (in
 * columns; at least four lines must have it, else the text was not wrapped); a line that fills it
 * and does not end a sentence continues on the next line, unless that line starts an item.
 */
export function unwrapPdf(lines: string[]): { lines: string[]; joined: number; dropped: number } {
  const head = new Set(
    lines
      .slice(0, 3)
      .map((l) => l.trim())
      .filter(Boolean),
  );
  const kept: string[] = [];
  let dropped = 0;
  let afterPageBreak = false;
  for (const line of lines) {
    const tl = line.trim();
    if (tl && PAGE_FURNITURE.test(tl)) {
      dropped++;
      afterPageBreak = true;
      continue;
    }
    if (afterPageBreak && head.has(tl) && kept.length > 3) {
      dropped++;
      continue;
    }
    if (tl) afterPageBreak = false;
    kept.push(line);
  }
  // a page break leaves empty lines inside a paragraph: drop the empty lines around dropped furniture
  const counts = new Map<number, number>();
  for (const l of kept) {
    const w = columns(l);
    if (w >= 32) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  let width = 0;
  let best = 0;
  for (const [w, n] of counts) if (n > best || (n === best && w > width)) [width, best] = [w, n];
  const wrapped = best >= 4 && best >= 0.25 * [...counts.values()].reduce((a, b) => a + b, 0);
  const out: string[] = [];
  let joined = 0;
  let open = false; // the last line in `out` runs on
  for (const line of kept) {
    const tl = line.trim();
    if (!tl) {
      // an empty line inside a paragraph that ran on over a page break
      if (!open) out.push(line);
      continue;
    }
    if (out.length && (open || CONTINUES.test(tl)) && !LINE_START.test(line)) {
      out[out.length - 1] = joinLines(out[out.length - 1]!, tl);
      joined++;
    } else out.push(line);
    const w = columns(line);
    open = wrapped && w >= width - 2 && !/[。！？；：]$/.test(tl) && !TITLE_LINE.test(tl);
  }
  return { lines: out, joined, dropped };
}

function joinLines(a: string, b: string): string {
  const left = a.replace(/\s+$/, '');
  // Latin words broken by the wrap get their space back; pinyin after a character (谢x|iè) does not
  const latin =
    /[A-Za-z0-9]$/.test(left) && /^[A-Za-z]/.test(b) && !/[\p{Script=Han}(（?？][\p{Script=Latin}]*$/u.test(left);
  return latin ? `${left} ${b}` : left + b;
}

/** A garbled run inside an item heading line ends the heading there (一、营造氛围ä¸­各区要… → two lines). */
const HEADING_START = /^[\s\u3000]*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])/;
const ANY_GARBLE = new RegExp([MOJIBAKE, ...GARBLE_RUNS].map((r) => `(?:${r.source})`).join('|'), 'u');

function splitGarbledHeading(line: string): string {
  if (!HEADING_START.test(line)) return line;
  const m = ANY_GARBLE.exec(line);
  if (!m) return line;
  const before = line.slice(0, m.index);
  const after = line.slice(m.index);
  const cleanAfter = removeGarbled(after).text.trim();
  // the run stays (it is removed, and reported, with the others)
  return /[。；，：！？,.;:]/.test(before) || [...cleanAfter].length < 8 ? line : `${before}\n${after}`;
}

export function normalizeNotice(raw: string): Normalized {
  const rawLines = raw.replace(/\r\n?|\u2028|\u2029/g, '\n').split('\n');
  const garbledLines: number[] = [];
  const pinyinLines: number[] = [];
  rawLines.forEach((line, i) => {
    const folded = foldWidth(line);
    const g = removeGarbled(folded);
    if (g.garbled) garbledLines.push(i + 1);
    if (removePinyin(g.text) !== g.text) pinyinLines.push(i + 1);
  });
  const unwrapped = unwrapPdf(rawLines.map(splitGarbledHeading));
  const folded = foldWidth(unwrapped.lines.join('\n'));
  const { text, garbled } = removeGarbled(folded);
  const simplified = toSimplified(removePinyin(text));
  const lines = simplified
    .split('\n')
    .map((l) => tidySpaces(chinesePunctuation(l)))
    .filter((l) => l.replace(/\t/g, '') !== '');
  return {
    lines,
    garbled,
    repairs: { garbledLines, pinyinLines, joinedLines: unwrapped.joined, pageLines: unwrapped.dropped },
  };
}

/** A line without its gap markers, as running text. */
export function flat(line: string): string {
  return line
    .replace(/\v/g, '')
    .replace(new RegExp(`(?<=${CJK})\\t|\\t(?=${CJK})`, 'gu'), '')
    .replace(/\t/g, ' ');
}

const CJK_CHAR = new RegExp(CJK, 'u');

/** The rest of a raw line after its first `flatLength` characters as `flat` reads them (gaps kept). */
export function afterFlat(line: string, flatLength: number): string {
  let n = 0;
  let k = 0;
  for (; k < line.length && n < flatLength; k++) {
    const c = line[k]!;
    if (c === '\v') continue;
    if (c === '\t' && (CJK_CHAR.test(line[k - 1] ?? '') || CJK_CHAR.test(line[k + 1] ?? ''))) continue;
    n++;
  }
  return line.slice(k);
}
