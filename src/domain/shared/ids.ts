import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Random bytes for ids, drawn 4 kB at a time: uuid's own v7 asks the system for 16 bytes per id
 * (crypto.getRandomValues), which made an id cost 3 µs against under 1 µs from the pool, and a
 * claim with its lines, answer and usage rows takes more than a dozen.
 */
const POOL_BYTES = 16 * 256;
const pool = new Uint8Array(POOL_BYTES);
let taken = POOL_BYTES;

function randomBytes16(): Uint8Array {
  if (taken === POOL_BYTES) {
    randomFillSync(pool);
    taken = 0;
  }
  taken += 16;
  return pool.subarray(taken - 16, taken);
}

/** The last id's time and counter, as uuid's v7 keeps them when it draws its own bytes. */
const last = { msecs: -Infinity, seq: 0 };

/**
 * Record ids are UUIDv7: unique without coordination (offline devices) and ordered by creation
 * time. Within a millisecond the counter (RFC 9562 §6.2, method 1, as uuid's v7) keeps them in
 * order; a new millisecond starts it from random bits.
 */
export function newId(): string {
  const random = randomBytes16();
  const now = Date.now();
  if (now > last.msecs) {
    last.msecs = now;
    last.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    last.seq = (last.seq + 1) | 0;
    if (last.seq === 0) {
      last.msecs++;
    }
  }
  return v7({ random, msecs: last.msecs, seq: last.seq });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
