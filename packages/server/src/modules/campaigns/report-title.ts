/** "关于做好2025年元旦春节期间双拥工作的通知" → "2025年元旦春节期间双拥工作情况报告". */
export function reportTitle(campaignTitle: string): string {
  const core = campaignTitle
    .replace(/^关于/, '')
    .replace(/^(?:做好|开展|加强|组织开展|认真做好|切实做好)/, '')
    .replace(/的(?:联合|紧急|补充)?(?:通知|工作函|函|意见|方案)$/, '');
  return core.endsWith('工作') ? `${core}情况报告` : `${core}工作情况报告`;
}

/** 2025-01-20 → 2025年1月20日 */
export function chineseDate(iso: string | null): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
