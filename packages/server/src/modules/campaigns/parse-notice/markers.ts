/**
 * Numbered lists in a notice: 一是…二是…, 一要…, 第一，…, 一、…, （一）…, 1. / 1、…, （1）/1）…, ①….
 * A marker counts only at a boundary (start of a paragraph, or after 。；：！？), so 唯一是 or the
 * 1 in 2025.1.20 never start an item.
 */
export type MarkerStyle = 'shi' | 'yao' | 'di' | 'dun' | 'paren' | 'num' | 'numParen' | 'circled';

/** Styles written inside running text: an item of these ends with its paragraph. */
export const INLINE_STYLES: ReadonlySet<MarkerStyle> = new Set(['shi', 'yao', 'di', 'circled']);

export interface Marker {
  style: MarkerStyle;
  n: number;
  /** Where the marker starts and where the item's text starts. */
  start: number;
  end: number;
}

export interface ListItem {
  n: number;
  /** The item's text without its marker, trimmed. */
  text: string;
  start: number;
  end: number;
}

export interface FoundList {
  style: MarkerStyle;
  items: ListItem[];
  /** Text before the first marker. */
  before: string;
  /** Text after the list (closing paragraphs). */
  after: string;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九 → 1 … 99; anything else → 0. */
export function chineseNumber(s: string): number {
  if (s.length === 1) return s === '十' ? 10 : (CN_DIGITS[s] ?? 0);
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (!m) return 0;
  return (m[1] ? (CN_DIGITS[m[1]] ?? 0) : 1) * 10 + (m[2] ? (CN_DIGITS[m[2]] ?? 0) : 0);
}

const CN = '[一二三四五六七八九十]{1,3}';
const BOUNDARY = '(?<=^|\\n|[。；：！？]|[。；：！？][”’）])[ \\t]*';
const PATTERNS: { style: MarkerStyle; re: RegExp; num: (m: RegExpExecArray) => number }[] = [
  { style: 'shi', re: new RegExp(`${BOUNDARY}(${CN})是(?=[^，。])`, 'g'), num: (m) => chineseNumber(m[1]!) },
  { style: 'yao', re: new RegExp(`${BOUNDARY}(${CN})要(?![求])`, 'g'), num: (m) => chineseNumber(m[1]!) },
  { style: 'di', re: new RegExp(`${BOUNDARY}第(${CN})[，、：]`, 'g'), num: (m) => chineseNumber(m[1]!) },
  { style: 'dun', re: new RegExp(`${BOUNDARY}(${CN})、`, 'g'), num: (m) => chineseNumber(m[1]!) },
  { style: 'paren', re: new RegExp(`${BOUNDARY}（(${CN})）[、．.]?`, 'g'), num: (m) => chineseNumber(m[1]!) },
  { style: 'num', re: new RegExp(`${BOUNDARY}(\\d{1,2})(?:[.、](?!\\d)|．)`, 'g'), num: (m) => Number(m[1]) },
  { style: 'numParen', re: new RegExp(`${BOUNDARY}（?(\\d{1,2})）`, 'g'), num: (m) => Number(m[1]) },
  { style: 'circled', re: new RegExp(`${BOUNDARY}([①-⑳])`, 'g'), num: (m) => m[1]!.charCodeAt(0) - 0x2460 + 1 },
];

export function findMarkers(text: string): Marker[] {
  const out: Marker[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const n = p.num(m);
      if (n > 0) out.push({ style: p.style, n, start: m.index, end: m.index + m[0].length });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The chain 1, 2, 3 … of one style: each number the first occurrence after the previous one. */
function chain(markers: Marker[], style: MarkerStyle): Marker[] {
  const own = markers.filter((m) => m.style === style);
  const first = own.find((m) => m.n === 1);
  if (!first) return [];
  const out = [first];
  for (;;) {
    const last = out[out.length - 1]!;
    const next = own.find((m) => m.start >= last.end && m.n === last.n + 1);
    if (!next) return out;
    out.push(next);
  }
}

/** Paragraphs that end a list rather than continue its last item. */
export const CLOSING =
  /^(?:各(?:区|单位|部门|驻市部队|级|有关单位|成员单位)?[^。]{0,16}?(?:要|务必|应|须)|请各|请于|请在|要严格|严格|严守|务必|坚决|特此通知|此外|另外|联系人|联系电话|附件|以上|(?:工作|有关|相关|纪律|几点)要求|注意事项|工作纪律)/;

/** A sentence inside the last inline item that starts the closing discipline rules. */
const INLINE_CLOSING =
  /。(?=通知(?:要求|强调|指出)|此外|另外|特此通知|请各|请于|(?:工作|有关|纪律)要求|[^。]{0,12}(?:严守|严格遵守|严格落实|严格执行)[^。]{0,10}(?:纪律|规定|要求))/;

/**
 * The outermost numbered list of `text`: of the styles that count to at least 2, the one that
 * starts first. The last item of an inline style ends with its paragraph; the last item of a
 * heading style runs on until a closing paragraph (CLOSING) or the end of the text.
 */
export function findList(text: string, allowed?: ReadonlySet<MarkerStyle>): FoundList | null {
  const markers = findMarkers(text);
  let best: Marker[] | null = null;
  for (const style of new Set(markers.map((m) => m.style))) {
    if (allowed && !allowed.has(style)) continue;
    const c = chain(markers, style);
    if (c.length >= 2 && (!best || c[0]!.start < best[0]!.start)) best = c;
  }
  if (!best) return null;
  const style = best[0]!.style;
  const last = best[best.length - 1]!;
  let listEnd = text.length;
  const nl = text.indexOf('\n', last.end);
  if (nl >= 0) {
    if (INLINE_STYLES.has(style)) listEnd = nl;
    else {
      let pos = nl;
      // a heading line alone (四、材料报送) owns the paragraph under it, even one that reads as closing
      let owned = !/[。；！？]/.test(text.slice(last.end, nl));
      while (pos >= 0 && pos < text.length) {
        const next = text.indexOf('\n', pos + 1);
        const para = text.slice(pos + 1, next < 0 ? text.length : next).trim();
        if (owned) owned = false;
        else if (CLOSING.test(para)) {
          listEnd = pos;
          break;
        }
        pos = next;
      }
    }
  }
  if (INLINE_STYLES.has(style)) {
    // one-paragraph news style: "…四是关心关爱优抚对象。通知要求，各单位要严守保密纪律…"
    const cut = INLINE_CLOSING.exec(text.slice(last.end, listEnd));
    if (cut) listEnd = last.end + cut.index + 1;
  }
  const items = best.map((m, i) => {
    const end = i + 1 < best!.length ? best![i + 1]!.start : listEnd;
    return { n: m.n, text: text.slice(m.end, end).trim(), start: m.start, end };
  });
  return { style, items, before: text.slice(0, best[0]!.start).trim(), after: text.slice(listEnd).trim() };
}
