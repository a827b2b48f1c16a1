import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../index.js';
import { platform0001 } from './0001_platform.js';
import { registry0002 } from './0002_registry.js';
import { campaigns0003 } from './0003_campaigns.js';
import { needs0004 } from './0004_needs.js';
import { visits0005 } from './0005_visits.js';
import { visitCampaigns0006 } from './0006_visit_campaigns.js';
import { moneyBigint0007 } from './0007_money_bigint.js';
import { targetListIndexes0008 } from './0008_target_list_indexes.js';
import { atmosphere0015 } from './0015_atmosphere.js';
import { registryCounts0016 } from './0016_registry_counts.js';
import { cockpit0019 } from './0019_cockpit.js';
import { troops0020 } from './0020_troops.js';
import { benefits0021 } from './0021_benefits.js';
import { modelcity0022 } from './0022_modelcity.js';
import { nameAsWritten0024 } from './0024_name_as_written.js';
import { exemplars0025 } from './0025_exemplars.js';
import { events0026 } from './0026_events.js';
import { benefitsConfirmation0028 } from './0028_benefits_confirmation.js';
import { modelcityOwners0029 } from './0029_modelcity_owners.js';
import { needsSla0030 } from './0030_needs_sla.js';
import { needCounts0031 } from './0031_need_counts.js';
import { troopCityStats0032 } from './0032_troop_city_stats.js';
import { benefitReturnBatches0033 } from './0033_benefit_return_batches.js';
import { modelcityPlaqueBudget0034 } from './0034_modelcity_plaque_budget.js';
import { partnershipEnd0035 } from './0035_partnership_end.js';
import { discrepancyCases0037 } from './0037_discrepancy_cases.js';
import { gradeChanges0038 } from './0038_grade_changes.js';
import { beneficiaryIndexes0040 } from './0040_beneficiary_indexes.js';
import { gradeOverpaid0041 } from './0041_grade_overpaid.js';
import { nameGramsNoFk0042 } from './0042_name_grams_no_fk.js';
import { nameIndex0043 } from './0043_name_index.js';

/** Forward-only migrations, in order. Never edit a released one; add the next. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_platform': platform0001(dialect),
        '0002_registry': registry0002(dialect),
        '0003_campaigns': campaigns0003(dialect),
        '0004_needs': needs0004(dialect),
        '0005_visits': visits0005(dialect),
        '0006_visit_campaigns': visitCampaigns0006(dialect),
        '0007_money_bigint': moneyBigint0007(dialect),
        '0008_target_list_indexes': targetListIndexes0008(dialect),
        '0015_atmosphere': atmosphere0015(dialect),
        '0016_registry_counts': registryCounts0016(dialect),
        '0019_cockpit': cockpit0019(dialect),
        '0020_troops': troops0020(dialect),
        '0021_benefits': benefits0021(dialect),
        '0022_modelcity': modelcity0022(dialect),
        '0024_name_as_written': nameAsWritten0024(dialect),
        '0026_events': events0026(dialect),
        '0028_benefits_confirmation': benefitsConfirmation0028(dialect),
        '0029_modelcity_owners': modelcityOwners0029(dialect),
        '0030_needs_sla': needsSla0030(dialect),
        '0031_need_counts': needCounts0031(dialect),
        '0033_benefit_return_batches': benefitReturnBatches0033(dialect),
        '0025_exemplars': exemplars0025(dialect),
        '0032_troop_city_stats': troopCityStats0032(dialect),
        '0034_modelcity_plaque_budget': modelcityPlaqueBudget0034(dialect),
        '0035_partnership_end': partnershipEnd0035(dialect),
        '0038_grade_changes': gradeChanges0038(dialect),
        '0037_discrepancy_cases': discrepancyCases0037(dialect),
        '0040_beneficiary_indexes': beneficiaryIndexes0040(dialect),
        '0041_grade_overpaid': gradeOverpaid0041(dialect),
        '0042_name_grams_no_fk': nameGramsNoFk0042(dialect),
        '0043_name_index': nameIndex0043(dialect),
      };
    },
  };
}
