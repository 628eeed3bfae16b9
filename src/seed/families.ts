import type { FamilyType } from '../domain/insuree/family.entity.ts';
import type { Gender, IdentityDocumentType, MaritalStatus } from '../domain/insuree/insuree.entity.ts';
import type { InsuranceNumbers } from './insurance-numbers.ts';
import { namesOf, type Culture } from './names.ts';
import type { SeededRandom } from './random.ts';

/** Ages are counted back from this day, so that a seed draws the same birth dates in any year. */
export const REFERENCE_DATE = Date.UTC(2025, 6, 1);
const DAY_MS = 86_400_000;

/** openIMIS relationship to the head: 2 father/mother, 4 son/daughter, 8 spouse. */
const Relationship = { parent: '2', child: '4', spouse: '8' } as const;
/** openIMIS professions (1 housewife, 2 employee, 3 self-employed, 4 other) and education levels. */
const PROFESSIONS = ['1', '2', '3', '4'] as const;
const EDUCATION = ['2', '3', '4', '7'] as const;
/** Households of 1 to 8, most of 3 to 5. */
const SIZES = [
  [1, 8],
  [2, 14],
  [3, 18],
  [4, 20],
  [5, 16],
  [6, 11],
  [7, 8],
  [8, 5],
] as const;

export interface MemberPlan {
  id: string;
  insuranceNumber: string;
  lastName: string;
  otherNames: string;
  birthDate: string;
  gender: Gender;
  maritalStatus: MaritalStatus | null;
  phone: string | null;
  relationship: string | null;
  profession: string | null;
  education: string | null;
  identityDocumentType: IdentityDocumentType | null;
  identityDocumentNumber: string | null;
  cardIssued: boolean;
}

/** A household to register; the head comes first. */
export interface FamilyPlan {
  id: string;
  type: FamilyType;
  poverty: boolean;
  members: MemberPlan[];
}

interface Person {
  age: number;
  gender: Gender;
  relationship: string | null;
}

/**
 * Draws a plausible household: a head (20-75), often a spouse, children born while their mother
 * was 18-42, and in larger households a widowed parent of the head.
 */
export function planFamily(
  random: SeededRandom,
  culture: Culture,
  numbers: InsuranceNumbers,
  maxSize: number,
): FamilyPlan {
  const size = Math.min(random.weighted(SIZES), maxSize);
  const head: Person = {
    age: random.int(20, 75),
    gender: random.chance(0.75) ? 'M' : 'F',
    relationship: null,
  };
  const people: Person[] = [head];
  if (size > 1 && random.chance(0.85)) {
    const age = Math.max(18, head.age + random.int(-10, 5));
    people.push({ age, gender: head.gender === 'M' ? 'F' : 'M', relationship: Relationship.spouse });
  }
  if (people.length < size && size >= 5 && random.chance(0.3)) {
    people.push({
      age: Math.min(100, head.age + random.int(20, 35)),
      gender: random.chance(0.65) ? 'F' : 'M',
      relationship: Relationship.parent,
    });
  }
  const mother = people.find((p) => p.gender === 'F' && p.relationship !== Relationship.parent) ?? head;
  while (people.length < size) {
    const age = random.int(Math.max(0, mother.age - 42), Math.max(0, mother.age - 18));
    people.push({ age, gender: random.chance(0.5) ? 'M' : 'F', relationship: Relationship.child });
  }

  const names = namesOf[culture];
  const surname = random.pick(names.surnames);
  const married = people.some((p) => p.relationship === Relationship.spouse);
  const members = people.map((person) => {
    const adult = person.age >= 18;
    const isHead = person === head;
    const identity = adult && random.chance(isHead ? 0.6 : 0.3);
    return {
      id: random.id(),
      insuranceNumber: numbers.next(),
      lastName:
        person.relationship === Relationship.spouse && random.chance(0.2)
          ? random.pick(names.surnames)
          : surname,
      otherNames: givenNames(random, culture, person.gender),
      birthDate: birthDate(random, person.age),
      gender: person.gender,
      maritalStatus: maritalStatus(random, person, isHead && married),
      phone: adult && random.chance(isHead ? 0.9 : 0.4) ? phone(random, culture) : null,
      relationship: person.relationship,
      profession: adult && random.chance(0.5) ? random.pick(PROFESSIONS) : null,
      education: person.age >= 6 && random.chance(0.5) ? random.pick(EDUCATION) : null,
      identityDocumentType: identity ? (random.chance(0.8) ? 'N' : 'V') : null,
      identityDocumentNumber: identity ? random.digits(10) : null,
      cardIssued: random.chance(0.85),
    } satisfies MemberPlan;
  });
  return { id: random.id(), type: random.chance(0.95) ? 'H' : 'O', poverty: random.chance(0.2), members };
}

function givenNames(random: SeededRandom, culture: Culture, gender: Gender): string {
  const names = namesOf[culture];
  const given = random.pick(gender === 'F' ? names.female : names.male);
  const middles = gender === 'F' ? names.femaleMiddle : names.maleMiddle;
  if (middles.length > 0 && random.chance(0.4)) {
    return `${given} ${random.pick(middles)}`;
  }
  if (culture === 'tanzanian' && random.chance(0.25)) {
    return `${given} ${random.pick(gender === 'F' ? names.female : names.male)}`;
  }
  return given;
}

function birthDate(random: SeededRandom, age: number): string {
  const days = Math.floor(age * 365.25) + random.int(0, 364);
  return new Date(REFERENCE_DATE - days * DAY_MS).toISOString().slice(0, 10);
}

function maritalStatus(random: SeededRandom, person: Person, marriedHead: boolean): MaritalStatus | null {
  if (person.age < 18) {
    return null;
  }
  if (person.relationship === Relationship.spouse || marriedHead) {
    return 'M';
  }
  if (person.relationship === Relationship.parent) {
    return 'W';
  }
  if (person.relationship === null && person.age >= 30) {
    return random.pick(['W', 'D', 'S'] as const);
  }
  return 'S';
}

/** Mobile numbers as registered: Nepal +977 98…, Tanzania +255 7…. */
function phone(random: SeededRandom, culture: Culture): string {
  return culture === 'nepali' ? `+97798${random.digits(8)}` : `+2557${random.digits(8)}`;
}
