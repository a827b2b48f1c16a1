import { describe, expect, it } from 'vitest';
import {
  findDocNumber,
  isoDate,
  issuersInText,
  recipientsInText,
} from '../src/modules/campaigns/parse-notice/header.js';
import { itemTitle, parseNotice } from '../src/modules/campaigns/parse-notice/index.js';
import { chineseNumber, findList } from '../src/modules/campaigns/parse-notice/markers.js';
import {
  flat,
  isPinyinSyllable,
  normalizeNotice,
  removePinyin,
} from '../src/modules/campaigns/parse-notice/normalize.js';
import * as N from './fixtures/notices.js';

const text = (s: string) => normalizeNotice(s).lines.map(flat).join('\n');
const titles = (s: string) => parseNotice(s).items.map((i) => i.title);

describe('normalising pasted text', () => {
  it('removes pinyin annotations after characters, in either kind of bracket or none', () => {
    expect(text('节(jié)日')).toBe('节日');
    expect(text('來（lái）年')).toBe('来年');
    expect(text('春节（chūn jié）期间')).toBe('春节期间');
    expect(text('节 (jie2) 日')).toBe('节日');
    expect(text('节jié日快乐')).toBe('节日快乐');
  });

  it('keeps brackets that are not pinyin', () => {
    expect(removePinyin('部队(A)')).toBe('部队(A)');
    expect(removePinyin('鸡尾酒(cocktail)')).toBe('鸡尾酒(cocktail)');
    expect(text('克退役军人发(2025)3号')).toBe('克退役军人发（2025）3号');
    expect(removePinyin('活动(一)')).toBe('活动(一)');
    // three syllables cannot annotate one character
    expect(removePinyin('节(jie ri kuai)')).toBe('节(jie ri kuai)');
  });

  it('knows pinyin syllables', () => {
    for (const s of ['jié', 'lái', 'zhuang', 'nǚ', 'lve', 'er', 'a', 'xiong3'])
      expect(isPinyinSyllable(s), s).toBe(true);
    for (const s of ['ok', 'cocktail', 'A', 'jx', 'zhuangg']) expect(isPinyinSyllable(s), s).toBe(false);
  });

  it('converts traditional characters to simplified', () => {
    expect(text('關於做好雙擁工作的通知')).toBe('关于做好双拥工作的通知');
    expect(text('軍分區政治工作部')).toBe('军分区政治工作部');
  });

  it('writes punctuation next to Chinese the Chinese way, whatever width it was typed in', () => {
    expect(text('各区,各单位:一是营造氛围;二是走访慰问.')).toBe('各区，各单位：一是营造氛围；二是走访慰问。');
    expect(text('通知如下：（一）宣传；(二)慰问!')).toBe('通知如下：（一）宣传；（二）慰问！');
    expect(text('１．组织祭扫．２．走访')).toBe('1.组织祭扫。2.走访');
    expect(text('发放1,000元，10:30集合，2025.1.20前')).toBe('发放1,000元，10:30集合，2025.1.20前');
    expect(text('擦亮"金字招牌"')).toBe('擦亮“金字招牌”');
    expect(text('活动...')).toBe('活动……');
  });

  it('drops stray spaces next to Chinese but keeps Latin words apart', () => {
    expect(text('  各 区 退役军人事务局 ， 请于 2025 年 1 月 20 日 前报送 ')).toBe(
      '各区退役军人事务局，请于2025年1月20日前报送',
    );
    expect(text('使用 WPS Office 编辑')).toBe('使用WPS Office编辑');
    expect(text('\u3000\u3000一是营造氛围。\u00a0')).toBe('一是营造氛围。');
  });

  it('removes garbled runs and says so', () => {
    const n = normalizeNotice('双拥\uFFFD\uFFFD工作锟斤拷锟斤拷通知ä¸€èˆ¬。烫烫烫烫完成\uE001了');
    expect(n.lines.map(flat)).toEqual(['双拥工作通知。完成了']);
    expect(n.garbled).toBe(true);
    expect(normalizeNotice('双拥???工作').lines).toEqual(['双拥工作']);
    expect(normalizeNotice('一般的通知。').garbled).toBe(false);
  });
});

describe('pieces', () => {
  it('reads Chinese numerals and dates', () => {
    expect([chineseNumber('一'), chineseNumber('十'), chineseNumber('十二'), chineseNumber('二十三')]).toEqual([
      1, 10, 12, 23,
    ]);
    expect(isoDate('二〇二五', '三', '二十八')).toBe('2025-03-28');
    expect(isoDate('2025', '2', '30')).toBeNull();
  });

  it('normalises the brackets of a document number', () => {
    for (const s of [
      '克退役军人发〔2025〕3号',
      '克退役军人发[2025]3号',
      '克退役军人发（2025）3号',
      '克退役军人发【2025】 3 号',
    ])
      expect(findDocNumber(s)?.value, s).toBe('克退役军人发〔2025〕3号');
  });

  it('finds the issuers of 联合下发 and the recipients after 要求 / 请', () => {
    expect(issuersInText('近日，市退役军人事务局、军分区政治工作部联合下发《关于做好双拥工作的通知》')).toEqual([
      '市退役军人事务局',
      '军分区政治工作部',
    ]);
    expect(
      recipientsInText('通知要求各区退役军人事务局、各驻市部队及市双拥工作领导小组各成员单位切实做好节日期间双拥工作'),
    ).toEqual(['各区退役军人事务局', '各驻市部队', '市双拥工作领导小组各成员单位']);
    expect(recipientsInText('请各区于1月20日前报送')).toEqual(['各区']);
    expect(recipientsInText('市人力资源和社会保障局组织开展招聘会')).toEqual([]);
  });

  it('takes the leading clause as an item title, cut at the first ， only when the sentence is long', () => {
    expect(itemTitle('营造浓厚双拥氛围。充分利用军地媒体平台').title).toBe('营造浓厚双拥氛围');
    expect(itemTitle('服务部队备战打仗，帮助部队解决实际困难；').title).toBe('服务部队备战打仗');
    expect(itemTitle('走访慰问，送温暖。').title).toBe('走访慰问，送温暖');
    expect(itemTitle('要加强组织领导。').title).toBe('加强组织领导');
    expect(itemTitle('广泛开展“聚焦一线、聚力解难，情系官兵”专项行动，帮助部队解决急难愁盼问题。').title).toBe(
      '广泛开展“聚焦一线、聚力解难，情系官兵”专项行动',
    );
    expect(itemTitle('慰问驻市部队官兵\n市局会同军分区走访慰问。')).toEqual({
      title: '慰问驻市部队官兵',
      headingLine: true,
    });
  });

  it('finds the outermost list and ignores markers that are not at a boundary', () => {
    const list = findList('通知如下：一是宣传。唯一是慰问的做法。二是走访，于2025.1.20前完成。')!;
    expect(list.style).toBe('shi');
    expect(list.items.map((i) => i.text)).toEqual(['宣传。唯一是慰问的做法。', '走访，于2025.1.20前完成。']);
    expect(findList('只有一是一项。')).toBeNull();
  });
});

describe('parseNotice on real-world notices', () => {
  it('1. the joint Spring Festival notice of the city bureau and the subdistrict', () => {
    const p = parseNotice(N.SPRING_FESTIVAL);
    expect(p).toMatchObject({
      title: '关于做好2025年元旦春节期间双拥工作的通知',
      docNumber: '克退役军人发〔2025〕3号',
      issuers: ['克拉玛依市退役军人事务局', '克拉玛依军分区政治工作部'],
      recipients: ['各区退役军人事务局', '各驻市部队', '市双拥工作领导小组各成员单位'],
      date: '2025-01-10',
      deadline: '2025-01-20',
      warnings: [],
    });
    expect(p.items.map((i) => [i.ordinal, i.title])).toEqual([
      [1, '营造浓厚双拥氛围'],
      [2, '服务部队备战打仗'],
      [3, '支持部队参与地方建设'],
      [4, '关心关爱优抚对象'],
    ]);
    expect(p.items[0]!.body).toMatch(/^营造浓厚双拥氛围。充分利用军地媒体平台.*“金字招牌”。$/);
    expect(p.items[3]!.body).toContain('走访慰问老复员军人、烈士遗属');
    expect(p.items[3]!.body).not.toContain('保密');
    expect(p.requirements).toEqual([
      '各单位要严格落实安全保密规定，严守军地交往有关纪律',
      '要持续改进作风，坚持勤俭节约，坚决反对形式主义',
      '请各区、各单位于2025年1月20日前将工作开展情况报送市退役军人事务局双拥科',
    ]);
    // contact line, 特此通知 and the signature are neither items nor requirements
    expect(JSON.stringify(p)).not.toMatch(/联系人|特此通知|0990/);
  });

  it('2. a traditional-character web paste with pinyin, mixed punctuation, stray spaces and garbled runs', () => {
    const p = parseNotice(N.WEB_PASTE_TRADITIONAL);
    expect(p.issuers).toEqual(['克拉玛依市退役军人事务局', '克拉玛依军分区政治工作部']);
    expect(p.recipients).toEqual(['各区退役军人事务局', '各驻市部队']);
    expect(p.title).toBe('关于做好元旦春节期间双拥工作的通知');
    expect(titles(N.WEB_PASTE_TRADITIONAL)).toEqual([
      '营造浓厚节日氛围',
      '服务部队备战打仗',
      '开展军民共建',
      '关心关爱优抚对象',
    ]);
    expect(p.items[0]!.body).toBe('营造浓厚节日氛围，利用军地媒体宣传双拥先进典型，举办军地联谊活动。');
    expect(p.requirements).toHaveLength(1);
    expect(p.requirements[0]).toMatch(/^各单位要严守安全保密纪律.*来年顺顺利利$/);
    const values = [p.title, ...p.items.flatMap((i) => [i.title, i.body]), ...p.requirements, ...p.issuers].join('|');
    expect(values).not.toMatch(/\uFFFD|锟斤拷|ä¸|[()（）]|jié|lái|節|來|雙|擁|[a-z]/);
    expect(p.warnings).toEqual([
      '原文第 2 行有无法识别的乱码字符，已删除，请核对相关内容',
      '原文第 1、2、3 行有拼音注音，已删除',
      '未识别到标题，已根据正文拟定，请核对',
      '未识别到成文日期，请补充',
    ]);
  });

  it('3. 一、二、 headings, a 工作要求 section of （一）（二）, attachments and a 2025年1月20日 date line', () => {
    const p = parseNotice(N.HEADINGS_DUN);
    expect(p.title).toBe('关于开展2025年春节走访慰问活动的通知');
    expect(p.items).toEqual([
      {
        ordinal: 1,
        title: '走访慰问重点优抚对象',
        body: '各区要对辖区内烈士遗属、因公牺牲军人遗属、病故军人遗属和在乡老复员军人逐户走访，做到应访尽访。',
        assignTo: ['districts'],
      },
      {
        ordinal: 2,
        title: '慰问驻市部队官兵',
        body: '市退役军人事务局会同军分区政治工作部，于春节前走访慰问驻市部队一线官兵。',
        // the item names no one: it goes to the notice's recipients
        assignTo: ['districts', 'units'],
      },
      {
        ordinal: 3,
        title: '落实优待政策',
        body: '各区要及时足额发放春节慰问金，确保政策落实到位。',
        assignTo: ['districts'],
      },
    ]);
    expect(p.requirements).toEqual([
      '严守安全保密纪律，不得在互联网上发布部队相关信息',
      '厉行勤俭节约，慰问活动从简',
      '请于2025年2月5日前报送走访慰问情况统计表',
    ]);
    expect(p).toMatchObject({
      date: '2025-01-20',
      deadline: '2025-02-05',
      issuers: ['克拉玛依市退役军人事务局'],
      recipients: ['各区退役军人事务局', '各驻市部队'],
    });
    // the attachment list (附件：1.… 2.…) is its own field, not a list of items
    expect(p.attachments).toEqual(['走访慰问情况统计表', '慰问金发放明细表']);
    expect(JSON.stringify({ ...p, attachments: [] })).not.toMatch(/附件|明细表/);
  });

  it('reads 附件 and 抄送 as their own fields: list on the next line, a wrapped title, nested brackets', () => {
    const p = parseNotice(
      [
        '关于做好2025年重阳节走访慰问工作的通知',
        '各区退役军人事务局：',
        '　　一、走访慰问老复员军人。各区要逐户走访，做到应访尽访。',
        '　　二、有关要求',
        '　　请于10月20日前报送走访情况。',
        '　　附件：',
        '　　　1．2025年重阳节走访慰问老复员军人和',
        '　　　　　烈士遗属情况统计表',
        '　　　2、走访对象名单',
        '克拉玛依市退役军人事务局',
        '2025年10月8日',
        '抄送：市委办公室，各县（市、区）人民武装部（含驻市部队），',
        '　　　市政府办公室。',
        '克拉玛依市退役军人事务局办公室　　2025年10月8日印发',
      ].join('\n'),
    );
    expect(p.attachments).toEqual(['2025年重阳节走访慰问老复员军人和烈士遗属情况统计表', '走访对象名单']);
    expect(p.cc).toEqual(['市委办公室', '各县（市、区）人民武装部（含驻市部队）', '市政府办公室']);
    expect(p.issuers).toEqual(['克拉玛依市退役军人事务局']);
    expect(p.date).toBe('2025-10-08');
    expect(p.requirements).toEqual(['请于10月20日前报送走访情况']);
    expect(p.items.map((i) => i.title)).toEqual(['走访慰问老复员军人']);
    expect(JSON.stringify({ ...p, attachments: [], cc: [] })).not.toMatch(/附件|抄送|统计表|名单|市委办公室/);
  });

  it('has no attachments and no 抄送 when the notice names none (填写附件表格 is not a list)', () => {
    const p = parseNotice(
      '关于报送走访情况的通知\n各区：\n　　请填写附件表格，于7月10日前报送。\n克拉玛依市退役军人事务局\n2025年6月20日',
    );
    expect(p.attachments).toEqual([]);
    expect(p.cc).toEqual([]);
  });

  it('4. 主要任务 with （一）（二）（三）: the sub-items are the work; 总体要求 is context; 1. 2. are requirements', () => {
    const p = parseNotice(N.TASK_CONTAINER);
    expect(p.docNumber).toBe('克军政〔2025〕12号');
    expect(p.title).toBe('关于做好2025年“八一”建军节双拥工作的通知');
    expect(p.issuers).toEqual(['克拉玛依军分区政治工作部', '克拉玛依市退役军人事务局']);
    expect(p.recipients).toEqual(['各区退役军人事务局', '各区人民武装部']);
    expect(titles(N.TASK_CONTAINER)).toEqual(['开展走访慰问', '组织主题宣传活动', '落实优待政策']);
    expect(p.requirements).toEqual(['加强组织领导，明确责任分工', '严格执行中央八项规定精神，严禁借机公款吃喝']);
    expect(p.date).toBe('2025-07-15');
  });

  it('5. 1. 2. numbering typed with ASCII and full-width marks, and a date in Chinese numerals', () => {
    const p = parseNotice(N.NUMBERED_ASCII);
    expect(titles(N.NUMBERED_ASCII)).toEqual(['组织祭扫活动', '做好烈士遗属走访慰问', '开展网上祭英烈活动']);
    expect(p.items[1]!.body).toBe(
      '做好烈士遗属走访慰问，了解烈士遗属的生活状况和实际困难，帮助解决一批急难愁盼问题，并建立走访台账。',
    );
    expect(p.date).toBe('2025-03-28');
    expect(p.deadline).toBe('2025-04-10'); // the year comes from the document date
    expect(p.requirements).toEqual(['请各区于4月10日前报送活动开展情况']);
  });

  it('6. a notice without numbered items comes back as one item with the whole text and a warning', () => {
    const p = parseNotice(N.NO_ITEMS);
    expect(p.items).toHaveLength(1);
    expect(p.items[0]!.title).toBe('关于做好烈士纪念日公祭活动的通知');
    expect(p.items[0]!.body).toMatch(/^9月30日是烈士纪念日.*务求实效。$/);
    expect(p.warnings).toEqual(['未识别到编号的工作事项（一是、一、（一）、1. 等），已将全文作为一项']);
    expect(p.date).toBe('2025-09-15');
  });

  it('7. a whole notice pasted as one line, signature and date included', () => {
    const p = parseNotice(N.ONE_LINE);
    expect(p).toMatchObject({
      title: '关于做好2026年元旦春节期间双拥工作的通知',
      issuers: ['克拉玛依市退役军人事务局', '克拉玛依军分区政治工作部'],
      recipients: ['各区退役军人事务局', '各驻市部队'],
      requirements: ['请各区于1月25日前报送工作情况'],
      date: '2026-01-08',
      deadline: '2026-01-25',
      warnings: [],
    });
    expect(titles(N.ONE_LINE)).toEqual(['营造双拥氛围', '走访慰问驻市部队官兵', '关心关爱优抚对象']);
    expect(p.items[2]!.body).toBe('关心关爱优抚对象。');
  });

  it('8. 第一，第二， with ①② inside an item, issuers only in the signature lines', () => {
    const p = parseNotice(N.DI_STYLE);
    expect(titles(N.DI_STYLE)).toEqual([
      '做好军人子女入学保障工作',
      '做好随军家属就业安置工作',
      // the addressee that opens the sentence is whom the item goes to, not its title
      '及时汇总官兵家庭困难情况',
    ]);
    expect(p.items.map((i) => i.assignTo)).toEqual([['departments'], ['departments'], ['units']]);
    expect(p.items[2]!.body).toContain('①子女入学需求；②随军家属就业需求');
    expect(p.issuers).toEqual(['克拉玛依市退役军人事务局', '克拉玛依军分区政治工作部']);
    expect(p.recipients).toEqual(['各驻市部队', '市教育局', '市人力资源和社会保障局']);
    expect(p.deadline).toBe('2025-08-20');
  });

  it('joins a title that wraps onto a second line and cleans a traditional, annotated title', () => {
    const p = parseNotice(
      '關於做好2025年元旦春節(jié)期間\n雙擁工作的通知\n各區退役軍人事務局：\n一是開展「聚焦一線、聚力解難，情繫官兵」專項行動，幫助部隊解決急難愁盼問題。\n二是走訪慰問。\n',
    );
    expect(p.title).toBe('关于做好2025年元旦春节期间双拥工作的通知');
    expect(p.recipients).toEqual(['各区退役军人事务局']);
    expect(p.items.map((i) => i.title)).toEqual(['开展“聚焦一线、聚力解难，情系官兵”专项行动', '走访慰问']);
  });

  it('ends a heading at a garbled run and says where it repaired the text', () => {
    const p = parseNotice(
      '关于做好双拥工作的通知\n各区退役军人事务局：\n一、营造浓厚氛围ä¸\u00adæ–‡各区要利用媒体广泛宣传双拥典型。\n二、走访慰问\n各区要走访慰问优抚对(duì)象。\n- 2 -\n',
    );
    expect(p.items.map((i) => [i.title, i.body])).toEqual([
      ['营造浓厚氛围', '各区要利用媒体广泛宣传双拥典型。'],
      ['走访慰问', '各区要走访慰问优抚对象。'],
    ]);
    expect(p.warnings.slice(0, 3)).toEqual([
      '原文第 3 行有无法识别的乱码字符，已删除，请核对相关内容',
      '原文第 5 行有拼音注音，已删除',
      '原文像是从 PDF 复制的：已接上 0 处断行，删除 1 处页码，请核对',
    ]);
  });

  it('never throws on empty or odd input', () => {
    expect(parseNotice('').items).toEqual([]);
    expect(parseNotice('\n\n  \t').warnings.length).toBeGreaterThan(0);
    expect(parseNotice('锟斤拷锟斤拷').warnings[0]).toContain('乱码');
    expect(() => parseNotice('一是。二是。三是')).not.toThrow();
  });

  it('handles a long notice quickly', () => {
    const long = `${N.SPRING_FESTIVAL.repeat(20)}${'双拥工作'.repeat(5000)}`;
    const started = performance.now();
    parseNotice(long);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
