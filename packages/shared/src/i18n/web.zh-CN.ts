/** Messages of the web app (labels, buttons, page titles). */
export const webMessages = {
  'app.title': '双拥工作平台',
} as const;
