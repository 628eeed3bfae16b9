import { planFamily } from './families.ts';
import type { InsuranceNumbers } from './insurance-numbers.ts';
import type { TrainingTree, Village } from './plan-tree.ts';
import type { SeededRandom } from './random.ts';
import type { Household } from './write-families.ts';

/**
 * Draws households in a random village until `total` insurees, in batches of about `batchSize`
 * insurees (a batch ends with a whole family). Drawn lazily, so memory does not grow with the total.
 */
export function* householdBatches(
  random: SeededRandom,
  tree: TrainingTree,
  numbers: InsuranceNumbers,
  total: number,
  batchSize: number,
): Generator<{ households: Household[]; insurees: number }> {
  let drawn = 0;
  while (drawn < total) {
    const households: Household[] = [];
    let insurees = 0;
    while (insurees < batchSize && drawn + insurees < total) {
      const village = random.pick(tree.villages);
      const plan = planFamily(random, village.culture, numbers, total - drawn - insurees);
      households.push({
        plan,
        villageId: village.id,
        firstServicePointId: firstServicePoint(random, village),
      });
      insurees += plan.members.length;
    }
    drawn += insurees;
    yield { households, insurees };
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
