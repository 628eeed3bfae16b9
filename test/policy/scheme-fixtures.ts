/**
 * A small scheme written straight through the ORM (locations, a family, products, officers) for
 * the policy use-case tests, on the run's database with the application's projection wired in.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { Test } from 'tap';
import { openDatabase, type KingaDatabase } from '../../src/app.ts';
import { Family } from '../../src/domain/insuree/family.entity.ts';
import { Insuree, type InsureeStatus } from '../../src/domain/insuree/insuree.entity.ts';
import { Location, type LocationType } from '../../src/domain/location/location.entity.ts';
import { Officer } from '../../src/domain/officer/officer.entity.ts';
import { enrolFamily } from '../../src/domain/policy/enrol-family.ts';
import { InsureePolicy } from '../../src/domain/policy/insuree-policy.entity.ts';
import { policyRulesFrom, type PolicyRules } from '../../src/domain/policy/policy-rules.ts';
import { Policy } from '../../src/domain/policy/policy.entity.ts';
import { Premium } from '../../src/domain/policy/premium.entity.ts';
import type { PremiumInput } from '../../src/domain/policy/record-premium.ts';
import { Product } from '../../src/domain/product/product.entity.ts';
import { normaliseError } from '../../src/platform/errors/normalise-error.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { testConfig, unique } from '../helpers/test-app.ts';

/** The rules as the default configuration sets them: adults from 18, activation on payment. */
export const onPayment: PolicyRules = policyRulesFrom(testConfig());
export const manual: PolicyRules = policyRulesFrom(testConfig({ POLICY_ACTIVATION: 'manual' }));

export async function openTestDatabase(t: Test): Promise<KingaDatabase> {
  const config = testConfig();
  const database = await openDatabase(config, config.DATABASE_URL!);
  t.teardown(() => database.orm.close());
  return database;
}

/** Runs `work` as a use case runs: in one transaction, flushed at the end. */
export function write<T>(db: KingaDatabase, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return inTransaction(db.orm.em.fork(), { actor: 'test' }, work);
}

/** The catalogue code of what `work` throws (a unique index violation mapped as the edge maps it). */
export async function failure(
  db: KingaDatabase,
  work: (tx: EntityManager) => Promise<unknown>,
): Promise<string> {
  try {
    await write(db, work);
  } catch (error) {
    return normaliseError(error).code;
  }
  return 'no error';
}

/** A fresh read of what was committed. */
export function reader(db: KingaDatabase): EntityManager {
  return db.orm.em.fork();
}

export interface Places {
  region: Location;
  district: Location;
  ward: Location;
  village: Location;
}

export function makePlaces(tx: EntityManager): Places {
  const place = (type: LocationType, parent: Location | null): Location =>
    tx.create(Location, { code: unique('L'), name: unique('Place '), type, parent });
  const region = place('R', null);
  const district = place('D', region);
  const ward = place('W', district);
  return { region, district, ward, village: place('V', ward) };
}

export interface Person {
  birthDate: string | null;
  relationship?: string | null;
  status?: InsureeStatus;
}

/** A family in `village`; the first person heads it. */
export function makeFamily(
  tx: EntityManager,
  village: Location,
  people: Person[],
): { family: Family; members: Insuree[] } {
  const family = tx.create(Family, { village });
  const members = people.map((person, index) =>
    tx.create(Insuree, {
      insuranceNumber: unique('N'),
      lastName: 'Mushi',
      otherNames: `Member ${index + 1}`,
      birthDate: person.birthDate,
      status: person.status ?? 'AC',
      relationship: person.relationship ?? null,
      family,
      isHead: index === 0,
      village,
    }),
  );
  family.head = members[0]!;
  return { family, members };
}

/** Two adults and a child: per head at 40.00 and 20.00, a policy of 100.00. */
export const ADULTS_AND_CHILD: Person[] = [
  { birthDate: '1980-01-01' },
  { birthDate: '1982-01-01' },
  { birthDate: '2015-01-01' },
];

/** A family of `people` in `village`, enrolled under `productId` on 2024-06-01: its policy's id. */
export function enrolledPolicy(
  db: KingaDatabase,
  village: Location,
  productId: string,
  { rules = onPayment, people = ADULTS_AND_CHILD }: { rules?: PolicyRules; people?: Person[] } = {},
): Promise<string> {
  return write(db, async (tx) => {
    const { family } = makeFamily(tx, village, people);
    await tx.flush();
    const { policy } = await enrolFamily(
      tx,
      { familyId: family.id, productId, enrolDate: '2024-06-01' },
      rules,
    );
    return policy.id;
  });
}

/** A cash premium paid by the head, with a receipt of its own unless given one. */
export function cashPayment(
  policyId: string,
  amount: string,
  payDate: string,
  receipt = unique('R'),
): PremiumInput {
  return { policyId, amount, payDate, payType: 'C', receipt, payer: 'Head of family' };
}

/** A national, per-head product on sale 1960–2099, free enrolment, 12 months; override any lever. */
export function makeProduct(tx: EntityManager, levers: Partial<Product> = {}): Product {
  const noLimits = () => ({ general: null, inPatient: null, outPatient: null });
  return tx.create(Product, {
    deductiblePerTreatment: noLimits(),
    deductiblePerInsuree: noLimits(),
    deductiblePerPolicy: noLimits(),
    ceilingPerTreatment: noLimits(),
    ceilingPerInsuree: noLimits(),
    ceilingPerPolicy: noLimits(),
    ceilingPerExtraMember: noLimits(),
    ceilingPolicyMaximum: noLimits(),
    categoryLimits: {},
    // The entity's default is the JSON text '[]', which only becomes an array once reloaded.
    startCycles: [],
    code: unique('PR'),
    name: unique('Product '),
    dateFrom: '1960-01-01',
    dateTo: '2099-12-31',
    insurancePeriodMonths: 12,
    premiumAdult: '0.00',
    premiumChild: '0.00',
    ...levers,
  } as Product);
}

export function makeOfficer(tx: EntityManager, levers: Partial<Officer> = {}): Officer {
  return tx.create(Officer, {
    role: 'EO',
    code: unique('EO'),
    lastName: 'Officer',
    otherNames: 'Enrolment',
    ...levers,
  } as Officer);
}

export async function loadPolicy(db: KingaDatabase, id: string): Promise<Policy> {
  return reader(db).findOneOrFail(Policy, id);
}

/** The members' cover of a policy as committed, in member order. */
export async function loadCover(db: KingaDatabase, policyId: string): Promise<InsureePolicy[]> {
  return reader(db).find(
    InsureePolicy,
    { policy: policyId },
    { populate: ['insuree'], orderBy: { insuree: { id: 'asc' } } },
  );
}

export async function loadLedger(db: KingaDatabase, policyId: string): Promise<Premium[]> {
  return reader(db).find(Premium, { policy: policyId }, { orderBy: { id: 'asc' } });
}
