import type { Observation } from '../../../domain/indicator/cube.ts';

interface Entry {
  version: string;
  storedAt: number;
  observations: readonly Observation[];
}

/**
 * Computed cubes by query, each valid while the data version it was computed at still holds.
 * The oldest entries go first beyond `maxEntries`; an entry also expires after `maxAgeMs`, which
 * bounds what a version read can miss: a write whose transaction stamped its rows before a newer
 * one and committed after it does not raise the version.
 */
export class CubeCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;

  constructor(options: { maxEntries: number; maxAgeMs: number }) {
    this.#maxEntries = options.maxEntries;
    this.#maxAgeMs = options.maxAgeMs;
  }

  get(key: string, version: string, now = Date.now()): readonly Observation[] | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.version !== version || now - entry.storedAt > this.#maxAgeMs) {
      this.#entries.delete(key);
      return undefined;
    }
    // Most recently used last, so the first key is the one to drop.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.observations;
  }

  set(key: string, version: string, observations: readonly Observation[], now = Date.now()): void {
    this.#entries.delete(key);
    this.#entries.set(key, { version, storedAt: now, observations });
    while (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }
}
