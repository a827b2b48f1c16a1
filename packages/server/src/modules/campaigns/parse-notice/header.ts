import { chineseNumber } from './markers.js';
import { afterFlat, flat } from './normalize.js';

/**
 * The parts of a notice around its body: document number (文号), title, salutation (主送机关),
 * signature lines (落款) and the date line; and the phrases that name issuers (…联合下发) and
 * recipients (要求…/请…) in running text.
 */

/** Names of organisations end like this (or start with 各 for a collective: 各区、各驻市部队). */
const ORG_SUFFIX =
  /(?:局|部|委|委员会|办|办公室|厅|院|处|科|军分区|人武部|武装部|部队|单位|政府|街道|乡镇|镇|社区|站|中心|协会|学会|集团|公司|学校|医院|支队|大队|中队|分局|党委|党组|领导小组|机关|部门|联合会|总会|工会)$/;

export function isOrgName(s: string): boolean {
  const len = [...s].length;
  if (len < 2 || len > 40 || /[。，；：！？“”《》]|\d{4}/.test(s)) return false;
  if (ORG_SUFFIX.test(s)) return true;
  // a collective: 各区、各驻市部队、各县（市、区）
  return s.startsWith('各') && len <= 12 && !PREDICATE.test(s.slice(1));
}

/** How a name starts: a place (…市, …区, …县), 各, 市, 区… — a piece that does not is the rest of a name. */
const NAME_START = /^(?:各|市|区|县|乡|镇|中共|中国|\p{Script=Han}{1,6}?(?:市|区|县|州|省|盟|旗))/u;

/** Pieces between gaps joined into names: a stray space inside a name (克拉玛 依市…, …领导小组 办公室). */
function mergedAtGaps(line: string): string[] {
  const pieces = line
    .split(/[\t\v]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: string[] = [];
  let cur = '';
  pieces.forEach((piece, i) => {
    cur += piece;
    const next = pieces[i + 1];
    const continues = next !== undefined && !NAME_START.test(next) && isOrgName(cur + next);
    if (isOrgName(cur) && !continues) {
      out.push(cur);
      cur = '';
    }
  });
  return cur ? [...out, cur] : out;
}

/**
 * A line made only of organisation names (发文机关标志, 落款): split at every gap, or at wide gaps
 * only (a stray space inside a name), or taken whole. Null when it is not such a line.
 */
export function orgNames(line: string): string[] | null {
  const candidates = [
    mergedAtGaps(line),
    line.split(/[\t\v]+/),
    line.replace(/\v/g, '').split('\t'),
    [line.replace(/[\t\v]/g, '')],
  ];
  for (const c of candidates) {
    const names = c.map((p) => p.trim()).filter(Boolean);
    if (names.length > 0 && names.every(isOrgName)) return names;
  }
  return null;
}

// ---- dates ----

const YEAR = '((?:19|20)\\d{2}|[〇○零一二三四五六七八九]{4})';
const MD = '(\\d{1,2}|[一二三四五六七八九十]{1,3})';
export const CN_DATE = new RegExp(`${YEAR}\\s*年\\s*${MD}\\s*月\\s*${MD}\\s*日`, 'g');
const NUM_DATE = /((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})(?!\d)/g;
const YEAR_DIGITS: Record<string, string> = {
  〇: '0',
  '○': '0',
  零: '0',
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

const part = (s: string) => (/^\d+$/.test(s) ? Number(s) : chineseNumber(s));

/** An ISO date from year/month/day parts (Arabic or Chinese numerals), or null if impossible. */
export function isoDate(y: string, m: string, d: string): string | null {
  const year = /^\d{4}$/.test(y) ? Number(y) : Number([...y].map((c) => YEAR_DIGITS[c] ?? '').join(''));
  const month = part(m);
  const day = part(d);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

export interface DateHit {
  iso: string;
  index: number;
  end: number;
}

export function findDates(text: string): DateHit[] {
  const out: DateHit[] = [];
  for (const re of [CN_DATE, NUM_DATE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const iso = isoDate(m[1]!, m[2]!, m[3]!);
      if (iso) out.push({ iso, index: m.index, end: m.index + m[0].length });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A line that is only a date (the 成文日期 under the signature). */
export function dateLine(line: string): string | null {
  const text = flat(line).replace(/[\s（）]/g, '');
  const hits = findDates(text);
  return hits.length === 1 && hits[0]!.index === 0 && hits[0]!.end === text.length ? hits[0]!.iso : null;
}

// ---- document number and title ----

const DOC_NO = /([\p{Script=Han}]{1,16})\s*[〔[【（(［]\s*((?:19|20)\d{2})\s*[〕\]】）)］]\s*(\d{1,4})\s*号/u;

/** 克退役军人发〔2025〕3号, written with any of the brackets people type. */
export function findDocNumber(text: string): { value: string; index: number; length: number } | null {
  const m = DOC_NO.exec(text);
  if (!m) return null;
  return { value: `${m[1]}〔${m[2]}〕${m[3]}号`, index: m.index, length: m[0].length };
}

const TITLE_WORDS = /关于|通知|通报|工作函|意见|方案|决定|公告|工作要点/;
const TITLE_END = /(?:通知|通报|函|意见|方案|决定|公告|要点)$/;
const TITLE_IN_LINE = /^(.{0,60}?关于.{2,80}?的(?:联合|紧急|补充)?(?:通知|工作函|函|意见|方案|通报))/u;

/** Splits an issuer prefix (克拉玛依市退役军人事务局 克拉玛依军分区政治工作部关于…) off a title. */
export function splitTitle(title: string): { title: string; issuers: string[] } {
  const at = title.indexOf('关于');
  if (at <= 0) return { title, issuers: [] };
  const prefix = title.slice(0, at);
  const names = orgNames(prefix) ?? orgNames(prefix.replace(/、/g, '\t'));
  if (!names) return { title, issuers: [] };
  return { title: title.slice(at), issuers: names };
}

export interface Head {
  docNumber: string | null;
  title: string | null;
  issuers: string[];
  recipients: string[];
  /** Lines left for the body (the first may be what remains of a one-line notice). */
  rest: string[];
}

/** 发文机关标志 (letterhead): "××市双拥工作领导小组办公室文件", a line of names, or "文件" alone. */
const LETTERHEAD_WORD = /(?:文件|公函|简报|通报|便函)$/;
/** Lines above the title that are neither names nor the title: 密级, 紧急程度, 签发人, 份号. */
const HEAD_NOISE = /^(?:(?:特急|加急|特提|平急|急件|紧急)|(?:机密|秘密|内部)(?:★.*)?|签发人[：:].*|\d{6}|第?\d+号?)$/;

function letterhead(lines: string[]): string[] {
  const issuers: string[] = [];
  while (lines.length > 1) {
    const line = flat(lines[0]!);
    if (HEAD_NOISE.test(line) || /^文件$/.test(line)) {
      lines.shift();
      continue;
    }
    if (!LETTERHEAD_WORD.test(line) || TITLE_WORDS_STRICT.test(line)) break;
    const stem = lines[0]!.replace(/\s*(?:文件|公函|简报|通报|便函)$/, '');
    const names = stem ? orgNames(stem) : [];
    if (!names) break;
    issuers.push(...names);
    lines.shift();
  }
  // a letterhead of names alone, one per line, closed by a line 文件
  const fileLine = lines.slice(0, 6).findIndex((l) => flat(l) === '文件');
  if (fileLine > 0) {
    const names = lines.slice(0, fileLine).map((l) => orgNames(l));
    if (names.every(Boolean)) {
      issuers.push(...names.flat().filter((n): n is string => !!n));
      lines.splice(0, fileLine + 1);
    }
  }
  return issuers;
}

const TITLE_WORDS_STRICT = /关于/;

/** Document number, title (joined when it wraps onto a second line) and the salutation line. */
export function readHead(lines: string[]): Head {
  const rest = [...lines];
  const issuers: string[] = letterhead(rest);
  let docNumber: string | null = null;
  for (let i = 0; i < Math.min(5, rest.length); i++) {
    const hit = findDocNumber(flat(rest[i]!));
    if (!hit) continue;
    docNumber = hit.value;
    const line = flat(rest[i]!);
    const remaining = (line.slice(0, hit.index) + line.slice(hit.index + hit.length)).trim();
    if (remaining === '' || /^(?:签发人|签发)[:：]/.test(remaining)) rest.splice(i, 1);
    else if (hit.index === 0) rest[i] = remaining;
    break;
  }
  issuers.push(...letterhead(rest));
  let title: string | null = null;
  for (let i = 0; i < Math.min(4, rest.length); i++) {
    const line = flat(rest[i]!);
    if (line.length > 100) {
      const m = TITLE_IN_LINE.exec(line);
      if (m && m[1]!.length < line.length) {
        title = m[1]!;
        rest[i] = afterFlat(rest[i]!, title.length).replace(/^[，。：\s]+/, '');
      }
      break;
    }
    if (!TITLE_WORDS.test(line) || /[：:]$/.test(line) || /[。，；]/.test(line.slice(0, -1)) || line.length > 80)
      continue;
    title = rest[i]!.replace(/[。]$/, '');
    rest.splice(i, 1);
    // 发文机关标志 above the title: lines of issuer names only
    for (let names = i > 0 ? orgNames(rest[i - 1]!) : null; names; names = i > 0 ? orgNames(rest[i - 1]!) : null) {
      issuers.unshift(...names);
      rest.splice(--i, 1);
    }
    const next = rest[i] ? flat(rest[i]!) : '';
    if (!TITLE_END.test(title) && TITLE_END.test(next) && next.length <= 40 && !next.includes('。')) {
      title += next;
      rest.splice(i, 1);
    }
    break;
  }
  if (title) {
    const split = splitTitle(title);
    title = flat(split.title);
    issuers.push(...split.issuers);
  }

  let recipients: string[] = [];
  const first = rest[0] ? flat(rest[0]) : '';
  const colon = first.indexOf('：');
  if (colon > 0 && colon <= 150) {
    const names = splitNames(first.slice(0, colon), /[，、,；]/);
    if (names.length > 0 && names.every(isOrgName)) {
      recipients = names;
      const after = afterFlat(rest[0]!, colon + 1).trim();
      if (after) rest[0] = after;
      else rest.shift();
    }
  }
  return { docNumber, title, issuers, recipients, rest };
}

export interface Foot {
  date: string | null;
  issuers: string[];
  rest: string[];
}

const DROP_LINE = /^[（(]?(?:此件|联系人|联系电话|电话|印发|主题词)|印发$|^第?\s*\d+\s*页/;

// ---- attachments (附件说明) and 抄送 ----

/** 附件：… (or 附件 alone, the list on the next lines); not 附件1 heading an attachment's own page. */
const ATTACHMENT_LINE = /^[（(]?附\s*件\s*(?:[:：]\s*(.*)|$)/;
/** The number before an attachment's title: 1. 1、 1： （1） ①. */
const ENTRY_NUMBER = /^(?:\d{1,2}\s*[.．、:：]|[（(]\d{1,2}[）)]|[①-⑳])\s*/;
/** How an attachment's title ends; a title that does not end so may wrap onto the next line. */
const TITLE_DONE =
  /(?:表|单|册|书|函|方案|办法|细则|名单|材料|清单|意见|通知|说明|目录|报告|标准|要点|指南|样式|格式|模板|汇总|一览|图|文件|规定|计划|安排)[）)]?$/;

const entryOf = (line: string) =>
  flat(line)
    .trim()
    .replace(ENTRY_NUMBER, '')
    .replace(/[。；;，,\s]+$/, '')
    .trim();

/**
 * The 附件说明 (附件：1.… 2.…): one title per attachment, numbering stripped, a title wrapped over
 * lines joined; the lines and a table that follows them (rows with gaps) are taken out of the text.
 */
export function readAttachments(lines: string[]): { attachments: string[]; rest: string[] } {
  const at = lines.findIndex((l) => ATTACHMENT_LINE.test(flat(l).trim()));
  if (at < 0) return { attachments: [], rest: lines };
  const attachments: string[] = [];
  const first = ATTACHMENT_LINE.exec(flat(lines[at]!).trim())![1]?.trim();
  if (first) attachments.push(entryOf(first));
  let j = at + 1;
  for (; j < lines.length; j++) {
    const line = lines[j]!;
    const f = flat(line).trim();
    const plain = !line.includes('\t') && [...f].length <= 60 && !/[。！？]/.test(f.slice(0, -1));
    if (!plain || dateLine(line) || orgNames(line)) break;
    const last = attachments[attachments.length - 1];
    if (ENTRY_NUMBER.test(f) || last === undefined) attachments.push(entryOf(f));
    else if (!TITLE_DONE.test(last) && [...f].length <= 40) attachments[attachments.length - 1] = last + entryOf(f);
    else break;
  }
  // a table printed under the list: its header has gaps; a row whose empty cells were trimmed has
  // none, but is short and no sentence — the table ends at a name or a date (the signature)
  if (j < lines.length && lines[j]!.includes('\t'))
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const row = line.includes('\t') || ([...flat(line).trim()].length <= 20 && !/[。，；！？：]/.test(flat(line)));
      if (!row || orgNames(line) || dateLine(line)) break;
    }
  return { attachments: attachments.filter(Boolean), rest: [...lines.slice(0, at), ...lines.slice(j)] };
}

const CC_LINE = /^[（(]?抄\s*送(?:单位|机关)?\s*[:：]\s*(.*)$/;

/** 抄送：… → the organisations it names, split like the recipients (not inside （…）); the lines are taken out. */
export function readCc(lines: string[]): { cc: string[]; rest: string[] } {
  const at = lines.findIndex((l) => CC_LINE.test(flat(l).trim()));
  if (at < 0) return { cc: [], rest: lines };
  let text = CC_LINE.exec(flat(lines[at]!).trim())![1]!;
  let j = at + 1;
  // a list that runs on: the line ends with a separator, or 抄送 stood alone
  while (
    j < lines.length &&
    (/[，、,；;]$/.test(text) || text === '') &&
    !dateLine(lines[j]!) &&
    !DROP_LINE.test(flat(lines[j]!).trim())
  )
    text += flat(lines[j++]!).trim();
  const cc = splitNames(text.replace(/[。.；;，,\s]+$/, ''), /[，、,；;]/);
  return { cc, rest: [...lines.slice(0, at), ...lines.slice(j)] };
}

/** Date line and signature lines at the end; contact and 印发 lines are dropped. */
export function readFoot(lines: string[]): Foot {
  const rest = [...lines];
  let date: string | null = null;
  const issuers: string[] = [];
  while (rest.length > 1) {
    const line = rest[rest.length - 1]!;
    const d = dateLine(line);
    const names = d ? null : orgNames(line);
    if (d && !date) date = d;
    else if (names) issuers.unshift(...names);
    else if (!DROP_LINE.test(flat(line))) break;
    rest.pop();
  }
  // a notice pasted as one line: "…特此通知。克拉玛依市退役军人事务局 克拉玛依军分区政治工作部 2025年1月20日"
  const last = rest[rest.length - 1];
  if (last && (!date || issuers.length === 0)) {
    const sentenceEnd = Math.max(last.lastIndexOf('。'), last.lastIndexOf('！'));
    let tail = last.slice(sentenceEnd + 1);
    const hits = findDates(tail);
    const end = hits[hits.length - 1];
    let tailDate: string | null = null;
    if (end && tail.slice(end.end).trim() === '') {
      tailDate = end.iso;
      tail = tail.slice(0, end.index);
    }
    const names = tail.trim() ? orgNames(tail.trim()) : [];
    if (names && (tailDate || names.length)) {
      if (tailDate && !date) date = tailDate;
      issuers.unshift(...names);
      rest[rest.length - 1] = last.slice(0, sentenceEnd + 1);
    }
  }
  return { date, issuers, rest: rest.filter((l) => l.trim() !== '') };
}

// ---- issuers and recipients in running text ----

/** 、 and the words that join names (not the 和 of 人力资源和社会保障局). */
const AND = /、|以及|(?<!资源)和(?!社会)|及|与/;

/** Splits a list of names at `sep`, but not inside （…）: 各县（市、区）双拥办、各驻市部队. */
export function splitNames(text: string, sep: RegExp): string[] {
  const at = new RegExp(sep.source, 'y');
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '（' || c === '(') depth++;
    else if (c === '）' || c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      at.lastIndex = i;
      const m = at.exec(text);
      if (m && m[0].length > 0) {
        out.push(cur);
        cur = '';
        i += m[0].length - 1;
        continue;
      }
    }
    cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

const JOINT = /(?:联合|共同)?(?:下发|印发|发出|发布|出台|制定)了?/;

/** "…局、…部联合下发《…》" → the organisations before the verb. */
export function issuersInText(text: string): string[] {
  for (const clause of text.split(/[，。；！\n]/)) {
    const m = JOINT.exec(clause);
    if (!m || m.index === 0) continue;
    const subject = clause.slice(0, m.index).replace(/^(?:近日|日前|近期|为[^，]*|今年|\d{4}年\d{1,2}月\d{1,2}日)/, '');
    const names = splitNames(subject, new RegExp(`${AND.source}|会同`));
    if (names.length && names.every(isOrgName)) return names;
  }
  return [];
}

/** Where a recipient list stops and the sentence's predicate begins. */
const PREDICATE =
  /(?:切实|认真|务必|要|于|在|按照|结合|做好|抓好|开展|积极|进一步|高度|迅速|立即|将|把|对|根据|围绕|紧扣|聚焦|扎实|精心|全面|加强|组织|广泛|深入|主动|及时|统筹|抓紧|做实)/;

/** "各驻市部队切实做好…" → "各驻市部队": the shortest cut before a predicate word that is an org name. */
function orgBeforePredicate(piece: string): string {
  if (isOrgName(piece)) return piece;
  const re = new RegExp(PREDICATE.source, 'g');
  for (let m = re.exec(piece); m; m = re.exec(piece)) {
    if (m.index > 0 && isOrgName(piece.slice(0, m.index))) return piece.slice(0, m.index);
    re.lastIndex = m.index + 1;
  }
  return piece;
}

/** "要求各区退役军人事务局、各驻市部队切实做好…" / "请各区于…" → the organisations named. */
export function recipientsInText(text: string): string[] {
  const re = /(?:^|[，。；：\n])(?:通知|并|同时)?(?:要求|请)([^，。；：\n]{2,160})/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const pieces = splitNames(m[1]!, AND);
    if (pieces.length === 0) continue;
    pieces[pieces.length - 1] = orgBeforePredicate(pieces[pieces.length - 1]!);
    const names = pieces.filter(Boolean);
    if (names.length && names.every(isOrgName)) return names;
  }
  return [];
}

/** Joins issuer lists, keeping the longer of two names where one ends the other (市局 ⊂ 克拉玛依市局). */
export function mergeNames(...lists: string[][]): string[] {
  const out: string[] = [];
  for (const name of lists.flat()) {
    const i = out.findIndex((o) => o.endsWith(name) || name.endsWith(o));
    if (i < 0) out.push(name);
    else if (name.length > out[i]!.length) out[i] = name;
  }
  return out;
}
