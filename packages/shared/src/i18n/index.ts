import { atmosphereMessages } from './atmosphere.zh-CN.js';
import { benefitsMessages } from './benefits.zh-CN.js';
import { campaignsMessages } from './campaigns.zh-CN.js';
import { cockpitMessages } from './cockpit.zh-CN.js';
import { eventsMessages } from './events.zh-CN.js';
import { exemplarsMessages } from './exemplars.zh-CN.js';
import { fieldMessages } from './fields.zh-CN.js';
import { filesMessages } from './files.zh-CN.js';
import { modelcityMessages } from './modelcity.zh-CN.js';
import { needsMessages } from './needs.zh-CN.js';
import { registryMessages } from './registry.zh-CN.js';
import { serverMessages } from './server.zh-CN.js';
import { troopsMessages } from './troops.zh-CN.js';
import { visitsMessages } from './visits.zh-CN.js';
import { webMessages } from './web.zh-CN.js';
import { webAtmosphereMessages } from './web-atmosphere.zh-CN.js';
import { webBenefitsMessages } from './web-benefits.zh-CN.js';
import { webCampaignsMessages } from './web-campaigns.zh-CN.js';
import { webEventsMessages } from './web-events.zh-CN.js';
import { webExemplarsMessages } from './web-exemplars.zh-CN.js';
import { webHomeMessages } from './web-home.zh-CN.js';
import { webModelcityMessages } from './web-modelcity.zh-CN.js';
import { webNeedsMessages } from './web-needs.zh-CN.js';
import { webOfflineMessages } from './web-offline.zh-CN.js';
import { webShellMessages } from './web-shell.zh-CN.js';
import { webTroopsMessages } from './web-troops.zh-CN.js';
import { webVisitsMessages } from './web-visits.zh-CN.js';

/** The zh-CN catalogue: every user-facing string of server and web app. */
export const zhCN = {
  ...serverMessages,
  ...registryMessages,
  ...filesMessages,
  ...fieldMessages,
  ...webMessages,
  ...webShellMessages,
  ...needsMessages,
  ...webNeedsMessages,
  ...visitsMessages,
  ...webVisitsMessages,
  ...webOfflineMessages,
  ...campaignsMessages,
  ...webCampaignsMessages,
  ...atmosphereMessages,
  ...webAtmosphereMessages,
  ...exemplarsMessages,
  ...webExemplarsMessages,
  ...eventsMessages,
  ...webEventsMessages,
  ...modelcityMessages,
  ...benefitsMessages,
  ...webBenefitsMessages,
  ...troopsMessages,
  ...webTroopsMessages,
  ...webModelcityMessages,
  ...cockpitMessages,
  ...webHomeMessages,
} as const;
export type MessageKey = keyof typeof zhCN;

/** Looks up a message and fills `{name}` placeholders. Unknown keys come back as the key. */
export function t(key: MessageKey | string, params?: Record<string, string | number>): string {
  const template: string = (zhCN as Record<string, string>)[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function hasMessage(key: string): key is MessageKey {
  return key in zhCN;
}
