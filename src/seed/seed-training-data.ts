import type { EntityManager } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Insuree } from '../domain/insuree/insuree.entity.ts';
import { LocationTypes } from '../domain/location/location.entity.ts';
import { Organisation } from '../domain/organisation/organisation.entity.ts';
import { policyRulesFrom } from '../domain/policy/policy-rules.ts';
import { isIsoDate, type IsoDate } from '../domain/shared/dates.ts';
import { insuranceNumberRules } from '../fhir/patient/patient.module.ts';
import type { Config } from '../platform/config/config.ts';
import type { WriteContext } from '../platform/database/unit-of-work.ts';
import { todayIn } from '../platform/jobs/scheme-today.ts';
import { householdBatches } from './households.ts';
import { InsuranceNumbers } from './insurance-numbers.ts';
import { planOfficers, writeOfficers } from './officers.ts';
import { planTree } from './plan-tree.ts';
import { PolicyPlanner } from './policies.ts';
import { writeProducts } from './products.ts';
import { SeededRandom } from './random.ts';
import { treeShape } from './shape.ts';
import { writeFamilies, type PolicyContext } from './write-families.ts';
import { writeMedicalRegisters } from './write-medical-registers.ts';
import { writeFacilities, writeInsurer, writePlaces } from './write-tree.ts';

/** The insurer of the training data set: its presence marks a database as seeded. */
export const TRAINING_INSURER_CODE = 'TRAINING-INSURER';
/** Seeded insurance numbers start with 1; other blocks are free for other uses. */
export const SEED_NUMBER_BLOCK = 1;

export interface SeedOptions {
  insurees: number;
  seed: number;
  /** Rows per transaction (default 1000): large enough to batch, small enough to keep memory flat. */
  batchSize?: number;
  /** Batches written at once (default 2): the next one is prepared while the database writes one. */
  concurrency?: number;
  /**
   * The day policies are dated back from (the scheme's today by default): enrolments over the
   * past two years, statuses as the scheduled jobs leave them on that day. The same seed and the
   * same day draw the same data set.
   */
  today?: IsoDate;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  stage: 'locations' | 'registers' | 'facilities' | 'officers' | 'insurees';
  done: number;
  total: number;
  /** What else the stage has written so far (the insurees' policies and premiums). */
  detail?: string;
}

export interface SeedSummary {
  locations: number;
  /** Health facilities and the insurer. */
  facilities: number;
  items: number;
  services: number;
  diagnoses: number;
  priceLists: number;
  products: number;
  officers: number;
  families: number;
  insurees: number;
  policies: number;
  /** Members covered (InsureePolicy records, each a Coverage). */
  covers: number;
  premiums: number;
}

/** The database already holds the training data set: seeding again would duplicate it. */
export class AlreadySeededError extends Error {
  override name = 'AlreadySeededError';
}

/**
 * Loads the training data set ("training server with dummy data") through the domain entities,
 * so every record is published by the FHIR projection exactly as the API publishes it. The same
 * seed draws the same data set, ids included. A database that already holds it is refused.
 */
export async function seedTrainingData(
  orm: MikroORM,
  config: Config,
  options: SeedOptions,
): Promise<SeedSummary> {
  const batchSize = options.batchSize ?? 1000;
  const concurrency = options.concurrency ?? 2;
  const report = options.onProgress ?? (() => undefined);
  const em = orm.em.fork();
  await refuseWhenSeeded(em);

  const today = options.today ?? todayIn(config.SCHEME_TIME_ZONE);
  if (!isIsoDate(today)) {
    throw new Error(`${today} is not a date (YYYY-MM-DD)`);
  }
  const numbers = new InsuranceNumbers(insuranceNumberRules(config), SEED_NUMBER_BLOCK);
  if (options.insurees > numbers.capacity) {
    throw new Error(`${options.insurees} insurees do not fit in ${numbers.capacity} insurance numbers`);
  }
  const random = new SeededRandom(options.seed);
  const tree = planTree(random, treeShape(options.insurees));
  const context: WriteContext = { actor: 'kinga-seed', requestId: `seed-${options.seed}` };
  const insurer = {
    id: random.id(),
    code: TRAINING_INSURER_CODE,
    name: 'National Health Insurance Fund (training)',
  };
  await writeInsurer(em, context, insurer);

  // One level at a time: a parent written in the same flush as its child would make the flush
  // insert the child without it and update it afterwards, publishing a second version.
  let placesDone = 0;
  report({ stage: 'locations', done: 0, total: tree.places.length });
  for (const type of LocationTypes) {
    const level = tree.places.filter((p) => p.type === type);
    for (let start = 0; start < level.length; start += batchSize) {
      const batch = level.slice(start, start + batchSize);
      await writePlaces(em, context, batch);
      em.clear();
      placesDone += batch.length;
      report({ stage: 'locations', done: placesDone, total: tree.places.length });
    }
  }

  // The registers before the facilities, which point at their level's price lists.
  report({ stage: 'registers', done: 0, total: 2 });
  const registers = await writeMedicalRegisters(em, context, random);
  report({ stage: 'registers', done: 1, total: 2 });
  const products = await writeProducts(em, context, random, registers);
  report({ stage: 'registers', done: 2, total: 2 });
  // Each stage reports its start, so that the progress bar's rate counts from there.
  report({ stage: 'facilities', done: 0, total: tree.facilities.length });
  for (let start = 0; start < tree.facilities.length; start += batchSize) {
    await writeFacilities(em, context, tree.facilities.slice(start, start + batchSize), registers.priceLists);
    em.clear();
    report({
      stage: 'facilities',
      done: Math.min(start + batchSize, tree.facilities.length),
      total: tree.facilities.length,
    });
  }
  const { officers, enrolmentOfficerOfWard } = planOfficers(random, tree);
  report({ stage: 'officers', done: 0, total: officers.length });
  for (let start = 0; start < officers.length; start += batchSize) {
    await writeOfficers(em, context, officers.slice(start, start + batchSize));
    em.clear();
    report({
      stage: 'officers',
      done: Math.min(start + batchSize, officers.length),
      total: officers.length,
    });
  }
  const policyContext: PolicyContext = { rules: policyRulesFrom(config), today };
  const planner = new PolicyPlanner(random, products, enrolmentOfficerOfWard, policyContext.rules, today);

  report({ stage: 'insurees', done: 0, total: options.insurees });
  // Two batches in flight: one is rendered and flushed here while the database writes the other.
  let insurees = 0;
  let families = 0;
  let policies = 0;
  let covers = 0;
  let premiums = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    for (const batch of householdBatches(random, tree, numbers, planner, options.insurees, batchSize)) {
      const write = writeFamilies(orm.em.fork(), context, batch.households, policyContext).then(() => {
        insurees += batch.insurees;
        families += batch.households.length;
        policies += batch.policies;
        covers += batch.covers;
        premiums += batch.premiums;
        report({
          stage: 'insurees',
          done: insurees,
          total: options.insurees,
          detail: `${policies} policies, ${premiums} premiums`,
        });
      });
      inFlight.add(write);
      void write.finally(() => inFlight.delete(write)).catch(() => undefined);
      if (inFlight.size >= concurrency) {
        await Promise.race(inFlight);
      }
    }
    await Promise.all(inFlight);
  } catch (error) {
    // Let the other batch end before the caller closes the connections under it.
    await Promise.allSettled(inFlight);
    throw error;
  }
  // Fresh statistics for the planner: after a bulk load it would otherwise guess (a server with
  // autovacuum off, or before its next round, plans lookups by policy as scans of an index).
  await em.getConnection().execute('analyze');
  return {
    locations: tree.places.length,
    facilities: tree.facilities.length + 1,
    ...registers.counts,
    products: 2,
    officers: officers.length,
    families,
    insurees,
    policies,
    covers,
    premiums,
  };
}

async function refuseWhenSeeded(em: EntityManager): Promise<void> {
  const marker = await em.count(Organisation, { code: TRAINING_INSURER_CODE });
  if (marker === 0) {
    return;
  }
  const insurees = await em.count(Insuree, { deletedAt: null });
  throw new AlreadySeededError(
    `The database already holds the training data set (${insurees} insurees): seed an empty database instead`,
  );
}
