import { t } from '../i18n';

/** Sets the browser tab title (React 19 hoists <title> into <head>). */
export function DocTitle({ title }: { title?: string }) {
  return <title>{title ? `${title} - ${t('app.title')}` : t('app.title')}</title>;
}
