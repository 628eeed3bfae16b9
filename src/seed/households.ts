import { planFamily } from './families.ts';
import type { InsuranceNumbers } from './insurance-numbers.ts';
import type { TrainingTree, Village } from './plan-tree.ts';
import type { PolicyPlanner } from './policies.ts';
import type { SeededRandom } from './random.ts';
import type { Household } from './write-families.ts';

/** One batch of households, with what it holds (for the progress bar and the summary). */
export interface HouseholdBatch {
  households: Household[];
  insurees: number;
  policies: number;
  /** Members covered by those policies (InsureePolicy records). */
  covers: number;
  premiums: number;
}

/**
 * Draws households in a random village until `total` insurees, with their policies and premiums,
 * in batches of about `batchSize` insurees (a batch ends with a whole family). Drawn lazily, so
 * memory does not grow with the total.
 */
export function* householdBatches(
  random: SeededRandom,
  tree: TrainingTree,
  numbers: InsuranceNumbers,
  policies: PolicyPlanner,
  total: number,
  batchSize: number,
): Generator<HouseholdBatch> {
  let drawn = 0;
  while (drawn < total) {
    const batch: HouseholdBatch = { households: [], insurees: 0, policies: 0, covers: 0, premiums: 0 };
    while (batch.insurees < batchSize && drawn + batch.insurees < total) {
      const village = random.pick(tree.villages);
      const plan = planFamily(random, village.culture, numbers, total - drawn - batch.insurees);
      const household: Household = {
        plan,
        villageId: village.id,
        firstServicePointId: firstServicePoint(random, village),
        policies: policies.plan(plan, village.culture, village.wardId),
      };
      batch.households.push(household);
      batch.insurees += plan.members.length;
      batch.policies += household.policies.length;
      for (const policy of household.policies) {
        batch.covers += policy.coverIds.length;
        batch.premiums += policy.premiums.length;
      }
    }
    drawn += batch.insurees;
    yield batch;
  }
}

/** Most register with the ward's dispensary, some with a health centre, a few with the hospital. */
function firstServicePoint(random: SeededRandom, village: Village): string {
  return random.weighted([
    [village.dispensaryId, 6],
    [random.pick(village.healthCentreIds), 3],
    [village.hospitalId, 1],
  ]);
}
