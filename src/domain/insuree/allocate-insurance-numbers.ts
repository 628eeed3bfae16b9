import type { EntityManager } from '@mikro-orm/core';
import { randomInt } from 'node:crypto';
import { todayIsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Officer } from '../officer/officer.entity.ts';
import { InsuranceNumberAllocation } from './insurance-number-allocation.entity.ts';
import { Insuree } from './insuree.entity.ts';
import { withCheckDigit, type InsuranceNumberRules } from './insurance-number.ts';

/** The most numbers one block holds (one printing run). */
export const MAX_BLOCK_SIZE = 10_000;
/** Length of generated numbers when the scheme fixes none: openIMIS's CHFIDs have 9 digits. */
export const DEFAULT_GENERATED_LENGTH = 9;
/** Below this many possible numbers, every one is listed instead of drawing at random. */
const ENUMERABLE = 200_000;

export interface NumberBlock {
  blockId: string;
  officer: Officer;
  numbers: string[];
}

/**
 * Generates `count` insurance numbers for pre-printed cards and allocates them to an enrolment
 * officer as one block. Each is valid under the scheme's rules (length, check digit), starts with
 * a non-zero digit (spreadsheets drop leading zeros), and is neither an insuree's number, live or
 * retired, nor in an earlier block. Numbers are drawn at random, so a card does not reveal its
 * neighbours. Concurrent blocks must be serialised by the caller (the primary key is the backstop).
 */
export async function allocateInsuranceNumbers(
  em: EntityManager,
  officer: Officer,
  count: number,
  rules: InsuranceNumberRules,
): Promise<NumberBlock> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BLOCK_SIZE) {
    throw new KingaError('insurance-number.block-size', { count, max: MAX_BLOCK_SIZE }, { field: 'count' });
  }
  if (!officer.isEnrolmentOfficer() || !officer.worksOn(todayIsoDate())) {
    throw new KingaError(
      'insurance-number.officer-not-enrolling',
      { code: officer.code },
      { field: 'officer' },
    );
  }
  const length = rules.length ?? DEFAULT_GENERATED_LENGTH;
  const bodyLength = rules.checkDigit === 'none' ? length : length - 1;
  const possible = 9 * 10 ** (bodyLength - 1);
  const numbers =
    possible <= ENUMERABLE
      ? await drawFromAll(em, bodyLength, length, count, rules)
      : await drawAtRandom(em, bodyLength, count, rules);
  const blockId = newId();
  for (const number of numbers) {
    em.create(InsuranceNumberAllocation, { number, officer, blockId });
  }
  return { blockId, officer, numbers };
}

function randomBody(bodyLength: number): string {
  let body = String(randomInt(1, 10));
  while (body.length < bodyLength) {
    body += String(randomInt(0, 10));
  }
  return body;
}

/** Large spaces: random candidates, minus those already taken, until the block is full. */
async function drawAtRandom(
  em: EntityManager,
  bodyLength: number,
  count: number,
  rules: InsuranceNumberRules,
): Promise<string[]> {
  const chosen = new Set<string>();
  for (let round = 0; round < 20 && chosen.size < count; round++) {
    const candidates = new Set<string>();
    while (candidates.size < (count - chosen.size) * 2) {
      const number = withCheckDigit(randomBody(bodyLength), rules);
      if (!chosen.has(number)) {
        candidates.add(number);
      }
    }
    const taken = await takenAmong(em, [...candidates]);
    for (const number of candidates) {
      if (!taken.has(number) && chosen.size < count) {
        chosen.add(number);
      }
    }
  }
  if (chosen.size < count) {
    throw new KingaError(
      'insurance-number.block-exhausted',
      { available: chosen.size, count },
      { field: 'count' },
    );
  }
  return [...chosen];
}

/** Small spaces: every possible number not yet taken, shuffled. */
async function drawFromAll(
  em: EntityManager,
  bodyLength: number,
  length: number,
  count: number,
  rules: InsuranceNumberRules,
): Promise<string[]> {
  const pattern = '_'.repeat(length);
  const taken = new Set([
    ...(await em.find(Insuree, { insuranceNumber: { $like: pattern } }, { fields: ['insuranceNumber'] })).map(
      (i) => i.insuranceNumber,
    ),
    ...(await em.find(InsuranceNumberAllocation, { number: { $like: pattern } }, { fields: ['number'] })).map(
      (a) => a.number,
    ),
  ]);
  const free: string[] = [];
  for (let body = 10 ** (bodyLength - 1); body < 10 ** bodyLength; body++) {
    const number = withCheckDigit(String(body), rules);
    if (!taken.has(number)) {
      free.push(number);
    }
  }
  if (free.length < count) {
    throw new KingaError(
      'insurance-number.block-exhausted',
      { available: free.length, count },
      { field: 'count' },
    );
  }
  for (let i = 0; i < count; i++) {
    const j = randomInt(i, free.length);
    [free[i], free[j]] = [free[j]!, free[i]!];
  }
  return free.slice(0, count);
}

async function takenAmong(em: EntityManager, numbers: string[]): Promise<Set<string>> {
  const insurees = await em.find(
    Insuree,
    { insuranceNumber: { $in: numbers } },
    { fields: ['insuranceNumber'] },
  );
  const allocated = await em.find(
    InsuranceNumberAllocation,
    { number: { $in: numbers } },
    { fields: ['number'] },
  );
  return new Set([...insurees.map((i) => i.insuranceNumber), ...allocated.map((a) => a.number)]);
}
