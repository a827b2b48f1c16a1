import { foldFullWidth } from './names.js';

/** A region the caller offers for matching (usually the children of one parent, or one level). */
export interface RegionCandidate {
  code: string;
  name: string;
}

/** Suffixes naming the office rather than the place: 克拉玛依区退役军人事务局 → 克拉玛依区. */
const OFFICE_SUFFIX = /(?:退役军人(?:服务站|服务中心|事务局|事务管理局)|服务站|服务中心)$/;

/**
 * Administrative suffixes and the level they name. Longer spellings come first so that
 * 街道办事处 is taken before 街道 and 社区居委会 before 社区.
 */
const LEVEL_SUFFIXES: readonly [string, string][] = [
  ['街道办事处', 'street'],
  ['街道办', 'street'],
  ['街道', 'street'],
  ['镇', 'street'],
  ['乡', 'street'],
  ['社区居民委员会', 'community'],
  ['社区居委会', 'community'],
  ['居民委员会', 'community'],
  ['居委会', 'community'],
  ['社区', 'community'],
  ['村民委员会', 'village'],
  ['村委会', 'village'],
  ['村', 'village'],
  ['区', 'district'],
  ['县', 'district'],
  ['市', 'city'],
];

/** A region name split into its core and the level its suffix names ('' when it has none). */
interface NameKey {
  full: string;
  core: string;
  level: string;
}

/** Folds, simplifies, removes spaces and the office suffix, then splits off the level suffix. */
function keyOf(text: string, toSimplified: (s: string) => string): NameKey {
  const full = toSimplified(foldFullWidth(text)).replace(/\s+/g, '').replace(OFFICE_SUFFIX, '');
  for (const [suffix, level] of LEVEL_SUFFIXES) {
    if (full.endsWith(suffix) && full.length > suffix.length) {
      return { full, core: full.slice(0, -suffix.length), level };
    }
  }
  return { full, core: full, level: '' };
}

/** Returns the code of the single candidate satisfying `test`, or null when none or several do. */
function single(keys: readonly (NameKey & { code: string })[], test: (k: NameKey) => boolean): string | null {
  const found = keys.filter(test);
  return found.length === 1 ? found[0]!.code : null;
}

/**
 * Prepares a matcher for many lookups against the same candidates (an import of thousands of rows).
 * See `matchRegion` for the rules.
 */
export function createRegionMatcher(
  candidates: readonly RegionCandidate[],
  toSimplified: (s: string) => string,
): (text: string) => string | null {
  const keys = candidates.map((c) => ({ code: c.code, ...keyOf(c.name, toSimplified) }));
  const codes = new Set(candidates.map((c) => c.code));
  return (text) => {
    const folded = foldFullWidth(text).trim();
    if (folded === '') return null;
    if (codes.has(folded)) return folded;
    const k = keyOf(folded, toSimplified);
    if (k.full === '') return null;
    return (
      single(keys, (c) => c.full === k.full) ??
      single(keys, (c) => c.core === k.core && (c.level === k.level || c.level === '' || k.level === '')) ??
      single(keys, (c) => c.level !== '' && k.full.endsWith(c.full) && k.full.length > c.full.length)
    );
  };
}

/**
 * Finds the region a spreadsheet cell or form field names among `candidates` and returns its code,
 * or null when none or more than one candidate fits. Matches, in order: the exact code; the name
 * (full-width folded, converted with `toSimplified` — pass opencc's traditional→simplified converter
 * — without spaces and without an office suffix such as 退役军人服务站 or 退役军人事务局); the name
 * ignoring a level suffix (区/县/街道/镇/乡/社区/居委会/村/市) that only one side has, while different
 * suffixes on both sides never match (克拉玛依市 is not 克拉玛依区); finally a text that ends with a
 * candidate's full name (克拉玛依市独山子区 → 独山子区).
 */
export function matchRegion(
  text: string,
  candidates: readonly RegionCandidate[],
  toSimplified: (s: string) => string,
): string | null {
  return createRegionMatcher(candidates, toSimplified)(text);
}
