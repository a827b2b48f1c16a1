import { type RecipientGroup, t } from '@shuangyong/shared';
import {
  findDates,
  isOrgName,
  isoDate,
  issuersInText,
  mergeNames,
  readAttachments,
  readCc,
  readFoot,
  readHead,
  recipientsInText,
  splitNames,
} from './header.js';
import { CLOSING, findList, type ListItem } from './markers.js';
import { flat, normalizeNotice } from './normalize.js';

/**
 * Notice text → a proposal for a campaign, which the user checks and edits before anything is
 * stored. Never throws on odd input: what it cannot find comes back empty, with a warning.
 */
export interface ParsedNotice {
  title: string;
  /** True when no title was written and `title` was built from the text. */
  titleProposed: boolean;
  docNumber: string | null;
  issuers: string[];
  recipients: string[];
  /** Each work item; `assignTo` are the recipient groups its tasks go to by default. */
  items: { ordinal: number; title: string; body: string; assignTo: RecipientGroup[] }[];
  requirements: string[];
  /** 附件说明: one title per attachment, numbering stripped. */
  attachments: string[];
  /** 抄送: the organisations the notice is copied to. */
  cc: string[];
  /** 成文日期 (the date under the signature), ISO. */
  date: string | null;
  /** A reporting deadline named in the text (…1月20日前报送…), ISO. */
  deadline: string | null;
  warnings: string[];
}

/** Longest title taken from a sentence as a whole; longer sentences are cut at their first ，. */
export const TITLE_MAX = 15;

const CONTEXT_HEADING =
  /^(?:总体要求|指导思想|工作目标|目标任务|基本原则|活动主题|活动时间|时间安排|参加人员|参加对象|实施范围|适用范围|工作背景)/;
const REQUIREMENT_HEADING =
  /^(?:(?:工作|有关|几点|相关|纪律|报送|其他|时间)要求|工作纪律|注意事项|保障措施|组织保障|(?:加强)?组织领导|其他事项|有关事项)/;
const CONTAINER_HEADING =
  /^(?:主要任务|重点任务|工作任务|重点工作|主要内容|活动内容|工作内容|具体安排|工作安排|任务分工|主要工作|具体措施|工作措施|主要措施)/;
const TRAILING_PUNCT = /[，。；：、！？\s]+$/;

/** Text up to the first of `stops`, not counting stops inside “…”, 《…》 or （…）. */
function upTo(text: string, stops: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ('“《（'.includes(c)) depth++;
    else if ('”》）'.includes(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && stops.includes(c)) return text.slice(0, i);
  }
  return text;
}

/** "各区要…", "市教育局负责…": the addressee that opens a sentence (it names the assignees, not the work). */
const ADDRESSEE = /^((?:各|市|区|县|乡|镇)[^，。；：“”]{0,30}?)(?:要|应当|应|须|务必|负责|牵头)(?!求)/;
/** A leading clause that only sets the scene (结合驻地实际，…): the title is the clause after it. */
const ADVERBIAL = /^(?:结合|按照|根据|围绕|依据|针对|对照|为了?|在|通过|坚持|以)[^，]{0,14}$/;

/** Everyone the notice is sent to, not a group of its own: the item goes to the notice's recipients. */
const GENERIC = /^(?:各|有关|各有关)(?:单位|级|地|方面|有关单位)$/;

/** The addressees that open a sentence, when every piece is an organisation's name. */
export function addressees(sentence: string): string[] {
  const m = ADDRESSEE.exec(sentence);
  if (!m) return [];
  const names = splitNames(m[1]!, /、/);
  return names.length && names.every(isOrgName) ? names.filter((n) => !GENERIC.test(n)) : [];
}

function withoutAddressee(sentence: string): string {
  const names = addressees(sentence);
  if (!names.length) return sentence;
  const m = ADDRESSEE.exec(sentence)!;
  const rest = sentence.slice(m[0].length);
  return [...rest].length >= 4 ? rest : sentence;
}

/** An item's title: its heading line, or its leading sentence, or — when that is long — its first clause. */
export function itemTitle(text: string): { title: string; headingLine: boolean } {
  const firstLine = text.split('\n')[0]!;
  const headingLine = text.includes('\n') && !/[。；！？]/.test(firstLine.slice(0, -1)) && firstLine.length <= 40;
  let title: string;
  if (headingLine) title = firstLine;
  else {
    const sentence = withoutAddressee(upTo(text, '。；！？\n'));
    if ([...sentence].length <= TITLE_MAX) title = sentence;
    else {
      let clause = upTo(sentence, '，：');
      const after = sentence.slice(clause.length + 1);
      if (ADVERBIAL.test(clause) && after) clause = upTo(after, '，：');
      title = clause.length >= 2 && clause.length <= 40 ? clause : `${[...sentence].slice(0, 30).join('')}…`;
    }
  }
  title = title.replace(TRAILING_PUNCT, '').replace(/^要(?=\p{Script=Han}{3})/u, '');
  return { title, headingLine };
}

function toItem(text: string): { title: string; body: string } {
  const { title, headingLine } = itemTitle(text);
  const rest = headingLine ? text.slice(text.indexOf('\n') + 1).trim() : '';
  return { title, body: (headingLine ? rest || title : text.trim()).replace(/[；，、]+$/, '。') };
}

const clean = (s: string) => s.replace(TRAILING_PUNCT, '').trim();

/** Discipline text → one requirement per numbered sub-item, or per sentence. */
function requirementsOf(text: string): string[] {
  const out: string[] = [];
  const sub = findList(text);
  if (sub) {
    out.push(...requirementsOf(sub.before));
    out.push(...sub.items.map((i) => clean(i.text.replace(/\n/g, ''))));
    out.push(...requirementsOf(sub.after));
    return out.filter((r) => [...r].length >= 4);
  }
  for (const para of text.split('\n')) {
    const p = para.replace(/^(?:(?:工作|有关|纪律|几点)要求|通知(?:要求|强调))[：，]?/, '').trim();
    if (!p || /^特此通知/.test(p) || /^[（(]?(?:联系人|联系电话|电话)/.test(p)) continue;
    out.push(...p.split(/(?<=[。！？；])/).map(clean));
  }
  return out.filter((r) => [...r].length >= 4);
}

interface Sections {
  items: { title: string; body: string }[];
  requirements: string[];
}

/** Sorts the top-level sections of a heading list into work items, requirements and context. */
function classify(list: ListItem[]): Sections {
  const out: Sections = { items: [], requirements: [] };
  const plain: { title: string; body: string }[] = [];
  for (const section of list) {
    const { title, headingLine } = itemTitle(section.text);
    const rest = headingLine ? section.text.slice(section.text.indexOf('\n') + 1) : section.text;
    if (CONTEXT_HEADING.test(title)) continue;
    if (REQUIREMENT_HEADING.test(title)) {
      out.requirements.push(...requirementsOf(headingLine ? rest : section.text.replace(/^[^。：]{0,12}[。：]/, '')));
      continue;
    }
    const sub = CONTAINER_HEADING.test(title) ? findList(rest) : null;
    if (sub) out.items.push(...sub.items.map((i) => toItem(i.text)));
    else out.items.push(toItem(section.text));
    plain.push(toItem(section.text));
  }
  if (out.items.length === 0) out.items = plain;
  return out;
}

const LATER = /^(?:前|以前|之前|起|至|到|—|-|开始)/;
const DEADLINE =
  /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:\d{1,2}[：:]\d{2})?(?:前|之前|以前|24时前|下班前)[^。]{0,60}?(?:报送|上报|报告|反馈|提交|报)/;

function deadlineIn(text: string, date: string | null): string | null {
  const m = DEADLINE.exec(text);
  if (!m) return null;
  const refYear = date ? Number(date.slice(0, 4)) : new Date().getFullYear();
  let iso = isoDate(m[1] ?? String(refYear), m[2]!, m[3]!);
  if (iso && !m[1] && date && iso < date) iso = isoDate(String(refYear + 1), m[2]!, m[3]!);
  return iso;
}

const FESTIVAL =
  /(?:元旦春节|元旦|春节|“?八一”?建军节|“八一”|八一|国庆中秋|中秋国庆|国庆节?|中秋节?|重阳节?|清明节?|烈士纪念日)/;

/** A title for a news-style text without one: the 《…》 it names, or 关于做好…工作的通知 with the year. */
function guessTitle(text: string): string {
  const named = /《(关于[^》]{2,60})》/.exec(text);
  if (named) return named[1]!;
  const year = (festival: string) => {
    const m = new RegExp(`((?:19|20)\\d{2})年(?:度)?${festival.replace(/[“”]/g, '“?')}`).exec(text);
    return m ? `${m[1]}年` : '';
  };
  const work = /做好([^，。；]{2,30}?工作)/.exec(text);
  if (work) {
    const f = FESTIVAL.exec(work[1]!);
    const y = !/\d{4}年/.test(work[1]!) && f && f.index === 0 ? year(f[0]) : '';
    return `关于做好${y}${work[1]}的通知`;
  }
  const f = FESTIVAL.exec(text);
  if (f) return `关于做好${year(f[0])}${f[0]}期间双拥工作的通知`;
  return itemTitle(text).title;
}

const UNITS = /部队|军分区|武装部|人武部|武警|支队|官兵/;
const DISTRICTS =
  /^各(?:区|县|乡|镇|街道|社区)|退役军人事务局$|^各?(?:街道|社区|乡镇)|双拥(?:工作领导小组)?办(?:公室)?$/;

/** The recipient group a named organisation belongs to: units (部队), districts (各区…), departments. */
export function groupOf(name: string): RecipientGroup {
  if (UNITS.test(name)) return 'units';
  if (DISTRICTS.test(name)) return 'districts';
  return 'departments';
}

function groupsOf(names: string[]): RecipientGroup[] {
  const order: RecipientGroup[] = ['districts', 'units', 'departments'];
  const found = new Set(names.map(groupOf));
  return order.filter((g) => found.has(g));
}

/** The groups an item addresses itself (各驻市部队要…), else the notice's recipients', else the districts. */
function assigneesOf(item: { title: string; body: string }, recipients: string[]): RecipientGroup[] {
  const named: string[] = [];
  for (const sentence of item.body.split(/[。；！？\n]/)) named.push(...addressees(sentence.trim()));
  const own = groupsOf(named);
  if (own.length) return own;
  const all = groupsOf(recipients);
  return all.length ? all : ['districts'];
}

/** Attachment lists (附件：1.… 2.…) and the tables that follow them are not work items. */
function dropAttachments(lines: string[]): string[] {
  const out: string[] = [];
  let inAttachments = false;
  for (const line of lines) {
    const f = flat(line);
    if (/^附件[：:\d]/.test(f)) inAttachments = true;
    else if (
      inAttachments &&
      !/^[一二三四五六七八九十]+、/.test(f) &&
      (line.includes('\t') || (f.length <= 40 && !/[。；！？]/.test(f)))
    )
      continue;
    else inAttachments = false;
    if (!inAttachments) out.push(line);
  }
  return out;
}

export function parseNotice(text: string): ParsedNotice {
  const { lines, garbled, repairs } = normalizeNotice(text);
  const warnings: string[] = [];
  const where = (ls: number[]) => ls.slice(0, 8).join('、') + (ls.length > 8 ? '…' : '');
  if (garbled)
    warnings.push(
      repairs.garbledLines.length
        ? t('campaigns.parse.garbledAt', { lines: where(repairs.garbledLines) })
        : t('campaigns.parse.garbled'),
    );
  if (repairs.pinyinLines.length) warnings.push(t('campaigns.parse.pinyin', { lines: where(repairs.pinyinLines) }));
  if (repairs.joinedLines + repairs.pageLines > 0 && (repairs.pageLines > 0 || repairs.joinedLines >= 3))
    warnings.push(t('campaigns.parse.pdf', { joined: repairs.joinedLines, pages: repairs.pageLines }));
  const head = readHead(lines);
  const copied = readCc(head.rest);
  const annexed = readAttachments(copied.rest);
  const foot = readFoot(annexed.rest);
  const body = dropAttachments(foot.rest)
    .map(flat)
    .join('\n')
    .replace(/特此通知。?/g, '')
    .trim();

  const list = findList(body);
  let items: { title: string; body: string }[];
  let requirements: string[] = [];
  let preamble: string;
  let closing = '';
  if (list) {
    preamble = list.before;
    closing = list.after;
    const sections = classify(list.items);
    items = sections.items;
    requirements = [...sections.requirements, ...requirementsOf(closing)];
  } else {
    preamble = body.split('\n')[0] ?? '';
    const paras = body.split('\n');
    // without numbered items, trailing discipline paragraphs still are requirements
    let cut = paras.length;
    while (cut > 1 && CLOSING.test(paras[cut - 1]!)) cut--;
    closing = paras.slice(cut).join('\n');
    requirements = requirementsOf(closing);
    const whole = paras.slice(0, cut).join('\n').trim();
    items = whole ? [{ title: head.title ?? itemTitle(whole).title, body: whole }] : [];
    warnings.push(t('campaigns.parse.noItems'));
  }

  let title = head.title;
  const titleProposed = !title;
  if (!title) {
    title = guessTitle(body);
    warnings.push(t('campaigns.parse.noTitle'));
  }
  const issuers = mergeNames(head.issuers, issuersInText(preamble), foot.issuers);
  if (issuers.length === 0) warnings.push(t('campaigns.parse.noIssuers'));
  const recipients = mergeNames(
    head.recipients.length ? head.recipients : recipientsInText(preamble),
    head.recipients.length ? [] : recipientsInText(closing),
  );
  if (recipients.length === 0) warnings.push(t('campaigns.parse.noRecipients'));

  let date = foot.date;
  if (!date) {
    const tail = closing || body.slice(-200);
    const hits = findDates(tail).filter((h) => !LATER.test(tail.slice(h.end, h.end + 3)));
    date = hits.length ? hits[hits.length - 1]!.iso : null;
  }
  if (!date) warnings.push(t('campaigns.parse.noDate'));
  const deadline = deadlineIn(closing, date) ?? deadlineIn(body, date);

  return {
    title,
    titleProposed,
    docNumber: head.docNumber,
    issuers,
    recipients,
    items: items.map((it, i) => ({ ordinal: i + 1, ...it, assignTo: assigneesOf(it, recipients) })),
    requirements,
    attachments: annexed.attachments,
    cc: copied.cc,
    date,
    deadline,
    warnings,
  };
}
