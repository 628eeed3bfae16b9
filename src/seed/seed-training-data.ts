import type { EntityManager } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Insuree } from '../domain/insuree/insuree.entity.ts';
import { LocationTypes } from '../domain/location/location.entity.ts';
import { Organisation } from '../domain/organisation/organisation.entity.ts';
import { insuranceNumberRules } from '../fhir/patient/patient.module.ts';
import type { Config } from '../platform/config/config.ts';
import type { WriteContext } from '../platform/database/unit-of-work.ts';
import { householdBatches } from './households.ts';
import { InsuranceNumbers } from './insurance-numbers.ts';
import { planTree } from './plan-tree.ts';
import { SeededRandom } from './random.ts';
import { treeShape } from './shape.ts';
import { writeFamilies } from './write-families.ts';
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
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  stage: 'locations' | 'facilities' | 'insurees';
  done: number;
  total: number;
}

export interface SeedSummary {
  locations: number;
  facilities: number;
  families: number;
  insurees: number;
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
  for (let start = 0; start < tree.facilities.length; start += batchSize) {
    await writeFacilities(em, context, tree.facilities.slice(start, start + batchSize));
    em.clear();
    report({
      stage: 'facilities',
      done: Math.min(start + batchSize, tree.facilities.length),
      total: tree.facilities.length,
    });
  }

  // Two batches in flight: one is rendered and flushed here while the database writes the other.
  let insurees = 0;
  let families = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    for (const batch of householdBatches(random, tree, numbers, options.insurees, batchSize)) {
      const write = writeFamilies(orm.em.fork(), context, batch.households).then(() => {
        insurees += batch.insurees;
        families += batch.households.length;
        report({ stage: 'insurees', done: insurees, total: options.insurees });
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
  return { locations: tree.places.length, facilities: tree.facilities.length + 1, families, insurees };
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
