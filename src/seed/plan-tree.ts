import type { LocationType } from '../domain/location/location.entity.ts';
import type { CareType, FacilityLevel, LegalForm } from '../domain/organisation/organisation.entity.ts';
import type { Culture } from './names.ts';
import {
  cultureOfRegion,
  districtName,
  healthCentreKind,
  regionName,
  settlementName,
  wardName,
} from './places.ts';
import type { SeededRandom } from './random.ts';
import type { TreeShape } from './shape.ts';

export interface PlacePlan {
  id: string;
  code: string;
  name: string;
  type: LocationType;
  parentId: string | null;
}

export interface FacilityPlan {
  id: string;
  code: string;
  name: string;
  level: FacilityLevel;
  careType: CareType;
  legalForm: LegalForm;
  districtId: string;
  city: string;
  phone: string;
}

/** Where a household lives, and the facilities it may choose as first point of service. */
export interface Village {
  id: string;
  wardId: string;
  culture: Culture;
  dispensaryId: string;
  healthCentreIds: readonly string[];
  hospitalId: string;
}

/** A ward, where one enrolment officer works (in its district, for its villages). */
export interface Ward {
  id: string;
  code: string;
  name: string;
  districtId: string;
  culture: Culture;
  villageIds: string[];
}

export interface TrainingTree {
  /** Parents before children: regions, districts, wards, villages. */
  places: PlacePlan[];
  facilities: FacilityPlan[];
  wards: Ward[];
  villages: Village[];
}

const CENTRE_CARE: readonly CareType[] = ['B', 'O'];
const LEGAL_FORMS: readonly LegalForm[] = ['G', 'G', 'C', 'P'];

/**
 * Draws the location tree and its health facilities: in every district a hospital, a health
 * centre for every two wards and a dispensary in every ward. A ward is named after its first
 * village, as is the ward's dispensary.
 */
export function planTree(random: SeededRandom, shape: TreeShape): TrainingTree {
  const tree: TrainingTree = { places: [], facilities: [], wards: [], villages: [] };
  const named = { nepali: { regions: 0, districts: 0 }, tanzanian: { regions: 0, districts: 0 } };
  let settlements = 0;
  // Codes nest like openIMIS's: R01, R01D02, R01D02W03, R01D02W03V004.
  const add = (type: LocationType, parent: PlacePlan | null, index: number, count: number, name: string) => {
    const plan: PlacePlan = {
      id: random.id(),
      code: `${parent?.code ?? ''}${type}${String(index + 1).padStart(Math.max(2, String(count).length), '0')}`,
      name,
      type,
      parentId: parent?.id ?? null,
    };
    tree.places.push(plan);
    return plan;
  };
  for (let r = 0; r < shape.regions; r++) {
    const culture = cultureOfRegion(r);
    const region = add('R', null, r, shape.regions, regionName(culture, named[culture].regions++));
    for (let d = 0; d < shape.districtsPerRegion; d++) {
      const districtLabel = districtName(culture, named[culture].districts++);
      const district = add('D', region, d, shape.districtsPerRegion, districtLabel);
      const facility = facilityMaker(random, district, culture, tree);
      const hospitalId = facility('H', 1, `${districtLabel} District Hospital`);
      const healthCentreIds: string[] = [];
      for (let w = 0; w < shape.wardsPerDistrict; w++) {
        const main = settlementName(culture, settlements);
        const ward = add('W', district, w, shape.wardsPerDistrict, wardName(culture, main));
        if (w % 2 === 0) {
          healthCentreIds.push(facility('C', w / 2 + 1, `${main} ${healthCentreKind(culture)}`));
        }
        const villages: PlacePlan[] = [];
        for (let v = 0; v < shape.villagesPerWard; v++) {
          villages.push(add('V', ward, v, shape.villagesPerWard, settlementName(culture, settlements++)));
        }
        const dispensaryId = facility('D', w + 1, `${main} Dispensary`);
        tree.wards.push({
          id: ward.id,
          code: ward.code,
          name: ward.name,
          districtId: district.id,
          culture,
          villageIds: villages.map((v) => v.id),
        });
        for (const village of villages) {
          tree.villages.push({
            id: village.id,
            wardId: ward.id,
            culture,
            dispensaryId,
            healthCentreIds,
            hospitalId,
          });
        }
      }
    }
  }
  return tree;
}

/** Adds a facility of the district; its code follows the district's: R01D02-H1, R01D02-C3, R01D02-D5. */
function facilityMaker(
  random: SeededRandom,
  district: PlacePlan,
  culture: Culture,
  tree: TrainingTree,
): (level: FacilityLevel, number: number, name: string) => string {
  return (level: FacilityLevel, number: number, name: string): string => {
    const id = random.id();
    tree.facilities.push({
      id,
      code: `${district.code}-${level}${number}`,
      name,
      level,
      careType: level === 'D' ? 'O' : level === 'H' ? 'B' : random.pick(CENTRE_CARE),
      legalForm: level === 'H' ? 'G' : random.pick(LEGAL_FORMS),
      districtId: district.id,
      city: district.name,
      phone: culture === 'nepali' ? `+9771${random.digits(7)}` : `+25522${random.digits(7)}`,
    });
    return id;
  };
}
