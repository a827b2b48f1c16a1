/** Web strings of the troops module (拥政爱民). */
export const webTroopsMessages = {
  'nav.group.troops': '拥政爱民',
  'nav.troopActivities': '拥政爱民活动',
  'nav.troopRecord': '记录活动',
  'crumb.troopActivity': '活动详情',
  'entityType.troop_activity': '拥政爱民活动',
  'entityType.troop_activity_type': '拥政爱民活动类型',
  'auditField.military_only_content': '仅军方可见内容',
  'auditField.occurred_on': '活动日期',
  'auditField.place': '活动地点',
  'auditField.photo': '照片',
  'auditField.gps': '原图含定位信息',
  'auditField.military_only': '仅军方可见',
} as const;
