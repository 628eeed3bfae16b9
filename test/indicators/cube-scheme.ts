/**
 * A small scheme for the indicator cube tests, declared as plain rows (the specs below) and written
 * through the ORM: a region, a district with two wards and three villages, five families of
 * various ages and sexes, policies new and renewed, paid fully, partly or not, premiums in and out
 * of the periods, two facilities, and claims in every status with lines passed and rejected. The
 * test computes every indicator a second time, in plain JS, from these same specs.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { KingaDatabase } from '../../src/app.ts';
import { Claim, ClaimLine, type ClaimStatus } from '../../src/domain/claim/claim.entity.ts';
import { Family } from '../../src/domain/insuree/family.entity.ts';
import { Insuree } from '../../src/domain/insuree/insuree.entity.ts';
import { Location, type LocationType } from '../../src/domain/location/location.entity.ts';
import { Diagnosis } from '../../src/domain/medical/diagnosis.entity.ts';
import { Organisation } from '../../src/domain/organisation/organisation.entity.ts';
import { InsureePolicy } from '../../src/domain/policy/insuree-policy.entity.ts';
import { Policy } from '../../src/domain/policy/policy.entity.ts';
import { Premium, type PremiumKind } from '../../src/domain/policy/premium.entity.ts';
import type { VisitType } from '../../src/domain/product/product-coverage.entity.ts';
import { makeDiagnosis } from '../claims/claim-fixtures.ts';
import { unique } from '../helpers/test-app.ts';
import { makeProduct, write } from '../policy/scheme-fixtures.ts';

export const PLACES = ['R', 'D', 'W1', 'W2', 'V1a', 'V1b', 'V2a'] as const;
export type PlaceKey = (typeof PLACES)[number];
export const PARENT: Record<PlaceKey, PlaceKey | null> = {
  R: null,
  D: 'R',
  W1: 'D',
  W2: 'D',
  V1a: 'W1',
  V1b: 'W1',
  V2a: 'W2',
};
const TYPE: Record<PlaceKey, LocationType> = {
  R: 'R',
  D: 'D',
  W1: 'W',
  W2: 'W',
  V1a: 'V',
  V1b: 'V',
  V2a: 'V',
};
export const FACILITIES = ['H1', 'H2'] as const;
export type FacilityKey = (typeof FACILITIES)[number];
export type ProductKey = 'P1' | 'P2';
export type DiagnosisKey = 'D1' | 'D2';

export interface FamilySpec {
  key: string;
  village: PlaceKey;
  created: string;
}
export interface PersonSpec {
  key: string;
  family: string;
  birth: string | null;
  gender: 'M' | 'F' | null;
  created: string;
  retired?: string;
}
export interface PolicySpec {
  key: string;
  family: string;
  product: ProductKey;
  stage: 'N' | 'R';
  enrol: string;
  start: string;
  effective: string | null;
  expiry: string;
  value: string;
  previous?: string;
  /** Members covered, each with its own effective date (the policy's unless given). */
  members: { person: string; effective?: string | null }[];
}
export interface PremiumSpec {
  policy: string;
  kind: PremiumKind;
  amount: string;
  payDate: string;
}
export interface LineSpec {
  kind: 'item' | 'service';
  code: string;
  quantity: number;
  approved: number | null;
  status: 'passed' | 'rejected';
  reason: number;
  product: ProductKey | null;
  submitted: string;
  benefit: string;
}
export interface ClaimSpec {
  key: string;
  facility: FacilityKey;
  insuree: string;
  visit: VisitType;
  from: string;
  to: string | null;
  claimed: string;
  status: ClaimStatus;
  created: string;
  valuatedAt: string | null;
  diagnosis: DiagnosisKey;
  lines: LineSpec[];
}

const JAN = '2026-01-05T08:00:00Z';

export const families: FamilySpec[] = [
  { key: 'F1', village: 'V1a', created: JAN },
  { key: 'F2', village: 'V1b', created: JAN },
  { key: 'F3', village: 'V2a', created: JAN },
  { key: 'F4', village: 'V2a', created: '2026-11-25T09:00:00Z' },
  { key: 'F5', village: 'V1b', created: JAN },
];

/** The first person of each family heads it. */
export const people: PersonSpec[] = [
  { key: 'a1', family: 'F1', birth: '1980-05-10', gender: 'M', created: JAN },
  // 36 on 30 November 2026, 35 the day before: P36Y-P55Y for the month, P26Y-P35Y for week 47.
  { key: 'a2', family: 'F1', birth: '1990-11-30', gender: 'F', created: JAN },
  // 10 on 30 November, 11 on 31 December: crosses no band; 5 → 6 does below.
  { key: 'a3', family: 'F1', birth: '2015-12-01', gender: 'F', created: JAN },
  // 5 until 2 December 2026, 6 after: P0Y-P5Y for the month and week, P6Y-P12Y for the quarter.
  { key: 'a4', family: 'F1', birth: '2020-12-02', gender: 'M', created: JAN },
  { key: 'b1', family: 'F2', birth: '1950-01-01', gender: 'F', created: JAN },
  { key: 'b2', family: 'F2', birth: '2000-06-15', gender: null, created: JAN },
  { key: 'b3', family: 'F2', birth: null, gender: 'M', created: JAN },
  // Retired on 20 November: there at the end of October, gone by the end of week 47 and after.
  {
    key: 'b4',
    family: 'F2',
    birth: '1995-03-03',
    gender: 'F',
    created: JAN,
    retired: '2026-11-20T12:00:00Z',
  },
  // 18 on 22 November (week 47), 19 from the 25th: P13Y-P18Y, then P19Y-P25Y.
  { key: 'c1', family: 'F3', birth: '2007-11-25', gender: 'M', created: JAN },
  { key: 'c2', family: 'F3', birth: '2009-02-28', gender: 'F', created: '2026-11-21T10:00:00Z' },
  { key: 'd1', family: 'F4', birth: '1990-07-07', gender: 'F', created: '2026-11-25T09:00:00Z' },
  { key: 'e1', family: 'F5', birth: '1970-04-04', gender: 'M', created: JAN },
  { key: 'e2', family: 'F5', birth: '1972-08-08', gender: 'F', created: JAN },
];

export const policies: PolicySpec[] = [
  {
    key: 'F1-P1',
    family: 'F1',
    product: 'P1',
    stage: 'N',
    enrol: '2026-01-10',
    start: '2026-01-10',
    effective: '2026-01-15',
    expiry: '2027-01-09',
    value: '100.00',
    members: [{ person: 'a1' }, { person: 'a2' }, { person: 'a3' }, { person: 'a4', effective: null }],
  },
  // A second product covering the youngest only, expiring before the first: not the latest.
  {
    key: 'F1-P2',
    family: 'F1',
    product: 'P2',
    stage: 'N',
    enrol: '2026-11-02',
    start: '2026-11-02',
    effective: '2026-11-02',
    expiry: '2026-12-20',
    value: '15.50',
    members: [{ person: 'a4' }, { person: 'a3' }],
  },
  {
    key: 'F2-old',
    family: 'F2',
    product: 'P2',
    stage: 'N',
    enrol: '2025-11-01',
    start: '2025-11-01',
    effective: '2025-11-01',
    expiry: '2026-10-31',
    value: '80.00',
    members: [{ person: 'b1' }, { person: 'b2' }, { person: 'b3' }, { person: 'b4' }],
  },
  {
    key: 'F2-renewal',
    family: 'F2',
    product: 'P2',
    stage: 'R',
    enrol: '2026-10-25',
    start: '2026-11-01',
    effective: '2026-11-03',
    expiry: '2027-10-31',
    value: '80.00',
    previous: 'F2-old',
    members: [{ person: 'b1' }, { person: 'b2' }, { person: 'b3' }, { person: 'b4' }],
  },
  {
    key: 'F3-P1',
    family: 'F3',
    product: 'P1',
    stage: 'N',
    enrol: '2026-11-18',
    start: '2026-11-18',
    effective: null,
    expiry: '2027-11-17',
    value: '50.00',
    members: [{ person: 'c1' }, { person: 'c2' }],
  },
  {
    key: 'F5-P2',
    family: 'F5',
    product: 'P2',
    stage: 'N',
    enrol: '2025-11-20',
    start: '2025-11-20',
    effective: '2025-11-20',
    expiry: '2026-11-19',
    value: '70.00',
    members: [{ person: 'e1' }, { person: 'e2' }],
  },
];

export const premiums: PremiumSpec[] = [
  { policy: 'F1-P1', kind: 'payment', amount: '60.00', payDate: '2026-01-12' },
  { policy: 'F1-P1', kind: 'payment', amount: '40.00', payDate: '2026-11-05' },
  { policy: 'F1-P2', kind: 'payment', amount: '15.50', payDate: '2026-11-02' },
  { policy: 'F2-old', kind: 'payment', amount: '80.00', payDate: '2025-11-01' },
  { policy: 'F2-renewal', kind: 'payment', amount: '30.00', payDate: '2026-11-02' },
  { policy: 'F2-renewal', kind: 'payment', amount: '20.25', payDate: '2026-12-10' },
  { policy: 'F3-P1', kind: 'payment', amount: '50.00', payDate: '2026-11-19' },
  { policy: 'F3-P1', kind: 'reversal', amount: '-50.00', payDate: '2026-11-20' },
  { policy: 'F5-P2', kind: 'payment', amount: '70.00', payDate: '2025-11-20' },
];

const line = (spec: Partial<LineSpec> & Pick<LineSpec, 'kind' | 'code' | 'quantity'>): LineSpec => ({
  approved: spec.status === 'rejected' ? null : spec.quantity,
  status: 'passed',
  reason: 0,
  product: null,
  submitted: `${spec.quantity * 10}.00`,
  benefit: '0.00',
  ...spec,
});

export const claims: ClaimSpec[] = [
  {
    key: 'C1',
    facility: 'H1',
    insuree: 'a1',
    visit: 'other',
    from: '2026-11-16',
    to: '2026-11-17',
    claimed: '2026-11-18',
    status: 'valuated',
    created: '2026-11-18T09:00:00Z',
    valuatedAt: '2026-11-20T10:00:00Z',
    diagnosis: 'D1',
    lines: [
      line({ kind: 'item', code: 'I1', quantity: 3, approved: 2, product: 'P1', benefit: '20.00' }),
      line({ kind: 'service', code: 'S1', quantity: 2, product: 'P1', benefit: '40.00' }),
      line({ kind: 'item', code: 'I2', quantity: 1, status: 'rejected', reason: 2 }),
    ],
  },
  {
    key: 'C2',
    facility: 'H1',
    insuree: 'b2',
    visit: 'emergency',
    from: '2026-11-03',
    to: null,
    claimed: '2026-11-03',
    status: 'rejected',
    created: '2026-11-03T15:00:00Z',
    valuatedAt: null,
    diagnosis: 'D2',
    lines: [
      line({ kind: 'service', code: 'S1', quantity: 1, status: 'rejected', reason: 1 }),
      line({ kind: 'item', code: 'I1', quantity: 4, status: 'rejected', reason: 3 }),
    ],
  },
  {
    key: 'C3',
    facility: 'H2',
    insuree: 'c1',
    visit: 'referral',
    from: '2026-11-20',
    to: '2026-11-20',
    claimed: '2026-11-21',
    status: 'checked',
    created: '2026-11-21T07:30:00Z',
    valuatedAt: null,
    diagnosis: 'D1',
    lines: [
      // Rejected under P2, then accepted under P1: the claim's product is P1 (its first accepted line).
      line({ kind: 'service', code: 'S1', quantity: 1, status: 'rejected', reason: 5, product: 'P2' }),
      line({ kind: 'service', code: 'S2', quantity: 1, product: 'P1', benefit: '12.34' }),
    ],
  },
  {
    key: 'C4',
    facility: 'H2',
    insuree: 'a3',
    visit: 'other',
    from: '2026-11-25',
    to: '2026-11-26',
    claimed: '2026-11-26',
    status: 'entered',
    created: '2026-11-26T11:00:00Z',
    valuatedAt: null,
    diagnosis: 'D2',
    lines: [line({ kind: 'service', code: 'S2', quantity: 2, approved: null })],
  },
  {
    key: 'C5',
    facility: 'H1',
    insuree: 'e1',
    visit: 'other',
    from: '2026-10-12',
    to: '2026-10-12',
    claimed: '2026-10-13',
    status: 'valuated',
    created: '2026-10-13T08:00:00Z',
    valuatedAt: '2026-10-20T23:30:00Z',
    diagnosis: 'D1',
    lines: [line({ kind: 'service', code: 'S1', quantity: 1, product: 'P2', benefit: '9.99' })],
  },
  {
    key: 'C6',
    facility: 'H2',
    insuree: 'b1',
    visit: 'emergency',
    from: '2026-11-05',
    to: '2026-11-06',
    claimed: '2026-11-06',
    status: 'processed',
    created: '2026-11-06T08:00:00Z',
    valuatedAt: null,
    diagnosis: 'D2',
    lines: [
      line({ kind: 'item', code: 'I2', quantity: 5, approved: 3, product: 'P2', benefit: '7.50' }),
      line({ kind: 'service', code: 'S1', quantity: 1, product: 'P2', benefit: '25.00' }),
      line({ kind: 'service', code: 'S3', quantity: 1, status: 'rejected', reason: 2, product: 'P2' }),
    ],
  },
];

/** What the ORM wrote: ids by spec key, and the registers' codes the strata show. */
export interface WrittenScheme {
  place: Record<PlaceKey, string>;
  facility: Record<FacilityKey, string>;
  facilityCode: Record<FacilityKey, string>;
  placeCode: Record<PlaceKey, string>;
  productCode: Record<ProductKey, string>;
  productId: Record<ProductKey, string>;
  diagnosisCode: Record<DiagnosisKey, string>;
  person: Record<string, string>;
  policy: Record<string, string>;
}

export async function writeScheme(db: KingaDatabase): Promise<WrittenScheme> {
  return write(db, async (tx) => {
    const place = {} as Record<PlaceKey, Location>;
    for (const key of PLACES) {
      const parent = PARENT[key];
      place[key] = tx.create(Location, {
        code: unique(`IC${key}`),
        name: `Place ${key}`,
        type: TYPE[key],
        parent: parent ? place[parent] : null,
      } as Location);
    }
    const facility = {} as Record<FacilityKey, Organisation>;
    for (const key of FACILITIES) {
      facility[key] = tx.create(Organisation, {
        kind: 'health-facility',
        code: unique(`IC${key}`),
        name: `Facility ${key}`,
        level: 'H',
        careType: 'B',
        legalForm: 'G',
        location: place.D,
      } as Organisation);
    }
    const product = { P1: makeProduct(tx), P2: makeProduct(tx) };
    const diagnosis: Record<DiagnosisKey, Diagnosis> = { D1: makeDiagnosis(tx), D2: makeDiagnosis(tx) };
    // Lines name their product by id, which the flush assigns.
    await tx.flush();
    const family = new Map<string, Family>();
    for (const spec of families) {
      family.set(
        spec.key,
        tx.create(Family, { village: place[spec.village], createdAt: new Date(spec.created) }),
      );
    }
    const person = new Map<string, Insuree>();
    for (const spec of people) {
      const home = family.get(spec.family)!;
      const insuree = tx.create(Insuree, {
        insuranceNumber: unique('ICN'),
        lastName: 'Cube',
        otherNames: spec.key,
        birthDate: spec.birth,
        gender: spec.gender,
        family: home,
        isHead: !people.some((p) => p.family === spec.family && people.indexOf(p) < people.indexOf(spec)),
        village: home.village,
        createdAt: new Date(spec.created),
        deletedAt: spec.retired ? new Date(spec.retired) : null,
      } as Insuree);
      if (insuree.isHead) {
        home.head = insuree;
      }
      person.set(spec.key, insuree);
    }
    const policy = new Map<string, Policy>();
    for (const spec of policies) {
      const written = tx.create(Policy, {
        family: family.get(spec.family)!,
        product: product[spec.product],
        stage: spec.stage,
        status: 'active',
        value: spec.value,
        enrolDate: spec.enrol,
        startDate: spec.start,
        effectiveDate: spec.effective,
        expiryDate: spec.expiry,
        previous: spec.previous ? policy.get(spec.previous)! : null,
      } as Policy);
      policy.set(spec.key, written);
      for (const member of spec.members) {
        tx.create(InsureePolicy, {
          insuree: person.get(member.person)!,
          policy: written,
          enrolDate: spec.enrol,
          startDate: spec.start,
          effectiveDate: member.effective === undefined ? spec.effective : member.effective,
          expiryDate: spec.expiry,
          coverThreshold: spec.value,
        } as InsureePolicy);
      }
    }
    for (const spec of premiums) {
      const paid = policy.get(spec.policy)!;
      tx.create(Premium, {
        policy: paid,
        product: paid.product,
        kind: spec.kind,
        amount: spec.amount,
        receipt: unique('ICR'),
        payDate: spec.payDate,
        payType: 'C',
      } as Premium);
    }
    for (const spec of claims) {
      writeClaim(tx, spec, {
        facility: facility[spec.facility],
        insuree: person.get(spec.insuree)!,
        diagnosis: diagnosis[spec.diagnosis],
        productId: (key) => product[key].id,
      });
    }
    await tx.flush();
    const ids = <K extends string>(record: Record<K, { id: string }>) =>
      Object.fromEntries(Object.entries<{ id: string }>(record).map(([k, v]) => [k, v.id])) as Record<
        K,
        string
      >;
    const codes = <K extends string>(record: Record<K, { code: string }>) =>
      Object.fromEntries(Object.entries<{ code: string }>(record).map(([k, v]) => [k, v.code])) as Record<
        K,
        string
      >;
    return {
      place: ids(place),
      facility: ids(facility),
      facilityCode: codes(facility),
      placeCode: codes(place),
      productCode: codes(product),
      productId: ids(product),
      diagnosisCode: codes(diagnosis),
      person: Object.fromEntries([...person].map(([k, v]) => [k, v.id])),
      policy: Object.fromEntries([...policy].map(([k, v]) => [k, v.id])),
    };
  });
}

/**
 * One more claim, written after the scheme: spec `like`'s lines, dates and status under a new
 * key, entered at `created`, for `person` at `facility` with diagnosis `diagnosis`.
 */
export function writeClaimLike(
  db: KingaDatabase,
  scheme: WrittenScheme,
  claim: {
    like: string;
    key: string;
    created: string;
    facility: FacilityKey;
    person: string;
    diagnosis: DiagnosisKey;
  },
): Promise<Claim> {
  return write(db, async (tx) =>
    writeClaim(
      tx,
      { ...claims.find((c) => c.key === claim.like)!, key: claim.key, created: claim.created },
      {
        facility: tx.getReference(Organisation, scheme.facility[claim.facility]),
        insuree: tx.getReference(Insuree, scheme.person[claim.person]!),
        diagnosis: await tx.findOneOrFail(Diagnosis, { code: scheme.diagnosisCode[claim.diagnosis] }),
        productId: (key) => scheme.productId[key],
      },
    ),
  );
}

/** A claim and its lines as adjudication leaves them (amounts from the spec). */
export function writeClaim(
  tx: EntityManager,
  spec: ClaimSpec,
  refs: {
    facility: Organisation;
    insuree: Insuree;
    diagnosis: Diagnosis;
    productId: (key: ProductKey) => string;
  },
): Claim {
  const claim = tx.create(Claim, {
    code: unique('ICC'),
    facility: refs.facility,
    insuree: refs.insuree,
    visitType: spec.visit,
    dateFrom: spec.from,
    dateTo: spec.to,
    dateClaimed: spec.claimed,
    mainDiagnosis: refs.diagnosis,
    otherDiagnoses: [],
    status: spec.status,
    careSetting: 'O',
    claimed: '0.00',
    clientIdentifiers: [],
    fingerprint: unique('fp').padEnd(64, '0').slice(0, 64),
    reviewReasons: [],
    valuatedAt: spec.valuatedAt ? new Date(spec.valuatedAt) : null,
    createdAt: new Date(spec.created),
  } as unknown as Claim);
  spec.lines.forEach((l, index) => {
    tx.create(ClaimLine, {
      claim,
      sequence: index + 1,
      kind: l.kind,
      code: l.code,
      quantity: l.quantity,
      priceAsked: '10.00',
      status: l.status,
      rejectionReason: l.reason,
      quantityApproved: l.approved,
      productId: l.product ? refs.productId(l.product) : null,
      submitted: l.submitted,
      benefit: l.benefit,
    } as unknown as ClaimLine);
  });
  return claim;
}
