import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { v7 } from 'uuid';

/** Ids are dated here, so that the same seed gives the same ids on every run. */
const ID_EPOCH_MS = Date.UTC(2025, 0, 1);

/** A seeded random source: the same seed draws the same training data set, ids included. */
export class SeededRandom {
  readonly #rng: RandomGenerator;
  #idCount = 0;

  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.#rng, min, max);
  }

  chance(probability: number): boolean {
    return uniformFloat64(this.#rng) < probability;
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) {
      throw new Error('Cannot pick from an empty list');
    }
    return list[this.int(0, list.length - 1)]!;
  }

  /** One of the keys, drawn in proportion to its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let point = uniformFloat64(this.#rng) * total;
    for (const [choice, weight] of choices) {
      point -= weight;
      if (point < 0) {
        return choice;
      }
    }
    return choices.at(-1)![0];
  }

  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) {
      text += String(this.int(0, 9));
    }
    return text;
  }

  /** A UUIDv7 like the registers' own, but drawn from the seed: one millisecond apart each. */
  id(): string {
    const random = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      new DataView(random.buffer).setInt32(i, this.#rng.next());
    }
    this.#idCount += 1;
    return v7({ msecs: ID_EPOCH_MS + this.#idCount, random });
  }
}
