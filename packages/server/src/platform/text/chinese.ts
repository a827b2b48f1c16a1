import { createRequire } from 'node:module';
import { foldFullWidth, normalizeMiddleDot } from '@shuangyong/shared';
import type * as OpenCC from 'opencc-js/t2cn';
import type * as PinyinPro from 'pinyin-pro';

// The dictionaries (OpenCC's tables, pinyin-pro's) load at their first use, not at start-up
// (decisions/0059): most requests never convert a name. Synchronous (CommonJS builds), so the
// functions below stay synchronous; the server warms OpenCC up at its first API request
// (warmUpChinese) and reads pinyin in a worker thread (name-keys.ts).
const load = createRequire(import.meta.url);

/**
 * Traditional → simplified (mainland) converter, built once: OpenCC standard traditional plus the
 * Hong Kong and Taiwan variant characters (綫, 裡…), so 't', 'hk' and 'tw' input all end as 'cn'.
 * Character and name-level conversion only (no Taiwan phrase conversion such as 軟體 → 软件).
 */
let t2cn: ((s: string) => string) | undefined;

/** Converts traditional Chinese (standard, Hong Kong or Taiwan forms) to simplified; other text is unchanged. */
export function toSimplified(s: string): string {
  if (!t2cn) {
    const { ConverterFactory, Locale } = load('opencc-js/t2cn') as typeof OpenCC;
    t2cn = ConverterFactory(Locale.from.hk!, Locale.from.tw!, Locale.to.cn!);
  }
  return t2cn(s);
}

/**
 * Normalises a search query (and the stored search column, so both agree): full-width folded,
 * traditional converted to simplified, middle dots unified, whitespace collapsed, trimmed, lower case.
 */
export function normalizeQuery(q: string): string {
  return normalizeMiddleDot(toSimplified(foldFullWidth(q)))
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Search keys of a person's name. */
export interface SearchKeys {
  /** The name as normalised by `normalizeQuery` (simplified, lower case). */
  simplified: string;
  /** Full pinyin without tones or spaces, lower case, ü written v: 'zhangjianguo', 'lvbu'. */
  pinyin: string;
  /** First letter of each syllable: 'zjg'. */
  initials: string;
}

let pinyinPro: typeof PinyinPro | undefined;
function pinyinLib(): typeof PinyinPro {
  pinyinPro ??= load('pinyin-pro') as typeof PinyinPro;
  return pinyinPro;
}

/**
 * Loads OpenCC's tables now, one piece a turn of the event loop (the server calls it after its first
 * API request, so searches need not wait for them): the module, then the converter (~40–50 ms on
 * the 2-core machine). pinyin-pro is not loaded here: the server reads names in the name-keys worker
 * (name-keys.ts; its module and first reading were blocks of 60–75 and 50–80 ms, decisions/0090).
 */
export function warmUpChinese(): void {
  const steps = [
    () => load('opencc-js/t2cn'), // the module is cached: toSimplified's load finds it
    () => toSimplified('張'),
  ];
  const next = () => {
    steps.shift()?.();
    if (steps.length) setImmediate(next);
  };
  next();
}

/**
 * Readings of Uyghur names in Chinese transcription that the dictionary gets wrong in context (阿不都热依木
 * would read a-bu-dou), put right after the dictionary has read the name. (pinyin-pro's `customPinyin`
 * would do it in the dictionary, but its first call takes ~50 ms of the event loop.)
 */
const READINGS: readonly (readonly [string, readonly string[]])[] = [['阿不都', ['a', 'bu', 'du']]];

/** `parts` (one syllable per character of `han`) with the READINGS put in. */
function withReadings(han: string, parts: string[]): string[] {
  const chars = [...han];
  if (parts.length !== chars.length) return parts;
  for (const [word, reading] of READINGS) {
    for (let at = han.indexOf(word); at >= 0; at = han.indexOf(word, at + word.length)) {
      const i = [...han.slice(0, at)].length;
      parts.splice(i, reading.length, ...reading);
    }
  }
  return parts;
}

const HAN_ONLY = /^\p{Script=Han}+$/u;
const HAN_RUN = /\p{Script=Han}+/gu;

/** Pinyin syllables of a run of Han characters; surname readings apply at the start of a name. */
function syllables(han: string, atStart: boolean): string[] {
  const parts = pinyinLib().pinyin(han, {
    toneType: 'none',
    type: 'array',
    v: true,
    ...(atStart ? { mode: 'surname', surname: 'head' } : {}),
  });
  return withReadings(han, parts);
}

/**
 * Search keys for a name: the simplified form and its full pinyin and initials. Surnames are read as
 * surnames (单 shan, 曾 zeng, 解 xie, 区 ou, 仇 qiu). The '·' of transcribed names and spaces are
 * dropped from the pinyin. Non-Chinese parts (Latin, Uyghur script) are kept in lower case: whole in
 * `pinyin`, by the first letter of each word in `initials`.
 */
export function searchKeys(name: string): SearchKeys {
  const simplified = normalizeQuery(name);
  const compact = simplified.replace(/[·\s]/g, '');
  if (HAN_ONLY.test(compact)) {
    const parts = syllables(compact, true);
    return { simplified, pinyin: parts.join(''), initials: parts.map((p) => p[0] ?? '').join('') };
  }
  let full = '';
  let initials = '';
  let last = 0;
  /** Appends a non-Chinese stretch: letters and digits kept, one initial per word. */
  const other = (text: string): void => {
    for (const word of text.split(/[^\p{L}\p{M}\p{N}]+/u)) {
      if (word === '') continue;
      full += word;
      initials += [...word][0];
    }
  };
  for (const m of simplified.matchAll(HAN_RUN)) {
    other(simplified.slice(last, m.index));
    const parts = syllables(m[0], m.index === 0);
    full += parts.join('');
    initials += parts.map((p) => p[0] ?? '').join('');
    last = m.index + m[0].length;
  }
  other(simplified.slice(last));
  return { simplified, pinyin: full, initials };
}
