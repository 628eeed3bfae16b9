import type { EntityManager } from '@mikro-orm/core';
import { Location } from '../domain/location/location.entity.ts';
import { Officer, type OfficerRole } from '../domain/officer/officer.entity.ts';
import { Organisation } from '../domain/organisation/organisation.entity.ts';
import { inTransaction, type WriteContext } from '../platform/database/unit-of-work.ts';
import { REFERENCE_DATE } from './families.ts';
import { namesOf, type Culture } from './names.ts';
import type { TrainingTree } from './plan-tree.ts';
import type { SeededRandom } from './random.ts';

export interface OfficerPlan {
  id: string;
  role: OfficerRole;
  code: string;
  lastName: string;
  otherNames: string;
  birthDate: string;
  phone: string;
  /** EO: the ward's district, its villages, and who takes over their families. */
  districtId?: string;
  villageIds?: string[];
  substituteId?: string | null;
  /** CA: the facility whose claims they submit. */
  facilityId?: string;
}

export interface TrainingOfficers {
  officers: OfficerPlan[];
  /** The enrolment officer of each ward, by ward id. */
  enrolmentOfficerOfWard: ReadonlyMap<string, string>;
}

/**
 * An enrolment officer per ward, serving its villages, whose substitute is the officer of the
 * district's previous ward (a chain, never a circle, that renewal prompts can follow), and a
 * claim administrator per health facility.
 */
export function planOfficers(random: SeededRandom, tree: TrainingTree): TrainingOfficers {
  const officers: OfficerPlan[] = [];
  const enrolmentOfficerOfWard = new Map<string, string>();
  let previous: { districtId: string; id: string } | undefined;
  for (const ward of tree.wards) {
    const id = random.id();
    officers.push({
      id,
      role: 'EO',
      code: `EO-${ward.code}`,
      ...person(random, ward.culture),
      districtId: ward.districtId,
      villageIds: ward.villageIds,
      substituteId: previous?.districtId === ward.districtId ? previous.id : null,
    });
    enrolmentOfficerOfWard.set(ward.id, id);
    previous = { districtId: ward.districtId, id };
  }
  const cultureOfDistrict = new Map(tree.wards.map((w) => [w.districtId, w.culture]));
  for (const facility of tree.facilities) {
    officers.push({
      id: random.id(),
      role: 'CA',
      code: `CA-${facility.code}`,
      ...person(random, cultureOfDistrict.get(facility.districtId) ?? 'tanzanian'),
      facilityId: facility.id,
    });
  }
  return { officers, enrolmentOfficerOfWard };
}

function person(
  random: SeededRandom,
  culture: Culture,
): Pick<OfficerPlan, 'lastName' | 'otherNames' | 'birthDate' | 'phone'> {
  const names = namesOf[culture];
  const female = random.chance(0.5);
  const age = random.int(24, 58);
  const born = REFERENCE_DATE - (age * 365 + random.int(0, 364)) * 86_400_000;
  return {
    lastName: random.pick(names.surnames),
    otherNames: random.pick(female ? names.female : names.male),
    birthDate: new Date(born).toISOString().slice(0, 10),
    phone: culture === 'nepali' ? `+97798${random.digits(8)}` : `+2557${random.digits(8)}`,
  };
}

/**
 * Writes one batch of officers as assignOfficer leaves them: an enrolment officer in their
 * district with its villages, a claim administrator at their facility. Places and facilities are
 * referenced by id (the seed drew them at the right levels); a substitute comes earlier in the
 * plan, so it is written in this batch or an earlier one.
 */
export async function writeOfficers(
  em: EntityManager,
  context: WriteContext,
  officers: OfficerPlan[],
): Promise<void> {
  await inTransaction(em, context, async (tx) => {
    for (const plan of officers) {
      tx.create(Officer, {
        id: plan.id,
        role: plan.role,
        code: plan.code,
        lastName: plan.lastName,
        otherNames: plan.otherNames,
        birthDate: plan.birthDate,
        phone: plan.phone,
        location: plan.districtId ? tx.getReference(Location, plan.districtId) : null,
        villages: (plan.villageIds ?? []).map((id) => tx.getReference(Location, id)),
        substitute: plan.substituteId ? tx.getReference(Officer, plan.substituteId) : null,
        facility: plan.facilityId ? tx.getReference(Organisation, plan.facilityId) : null,
      });
    }
  });
}
