import type { Pool } from 'pg';
import { poolQueryable, type Queryable } from '../database/queryable.ts';
import { sql } from '../database/sql.ts';

/** Expired rows are purged at most this often (per process). */
const PURGE_INTERVAL_MS = 60_000;
/** A claim lost to a concurrent release or expiry is tried again, a few times. */
const CLAIM_ATTEMPTS = 3;

/** Whose key: the IETF draft's "composite key" of the client's key and client attributes. */
export interface IdempotencyScope {
  clientId: string;
  method: string;
  path: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

export type Claim =
  | { kind: 'claimed'; id: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-flight' }
  | { kind: 'mismatch' };

interface KeyRow {
  fingerprint: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: Buffer | null;
}

/**
 * The idempotency_key table, outside any unit of work: a claim is committed before the handler
 * runs, so a concurrent duplicate meets the unique index, never a check-then-insert race.
 */
export class IdempotencyStore {
  readonly #db: Queryable;
  readonly #ttlHours: number;
  #lastPurge = 0;

  constructor(pool: Pool, ttlHours: number) {
    this.#db = poolQueryable(pool);
    this.#ttlHours = ttlHours;
  }

  /**
   * Records the key as in flight, or says what an earlier request with it became. An expired row
   * is taken over as if it were absent.
   */
  async claim(scope: IdempotencyScope, fingerprint: string): Promise<Claim> {
    await this.#purgeExpired();
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const [claimed] = await this.#db.query<{ id: string }>(sql`
        insert into idempotency_key (client_id, method, path, key, fingerprint, expires_at)
        values (${scope.clientId}, ${scope.method}, ${scope.path}, ${scope.key}, ${fingerprint},
                now() + make_interval(hours => ${this.#ttlHours}::int))
        on conflict (client_id, method, path, key) do update
          set fingerprint = excluded.fingerprint, status = null, headers = null, body = null,
              created_at = now(), expires_at = excluded.expires_at
          where idempotency_key.expires_at <= now()
        returning id`);
      if (claimed) {
        return { kind: 'claimed', id: claimed.id };
      }
      const [row] = await this.#db.query<KeyRow>(sql`
        select fingerprint, status, headers, body from idempotency_key
        where client_id = ${scope.clientId} and method = ${scope.method} and path = ${scope.path}
          and key = ${scope.key} and expires_at > now()`);
      if (!row) {
        continue; // released (a 5xx) or expired since the insert: claim again
      }
      if (row.fingerprint !== fingerprint) {
        return { kind: 'mismatch' };
      }
      if (row.status === null) {
        return { kind: 'in-flight' };
      }
      return { kind: 'replay', response: { status: row.status, headers: row.headers ?? {}, body: row.body } };
    }
    return { kind: 'in-flight' };
  }

  /** Stores the final response of a claimed key, for replay. */
  async complete(id: string, response: StoredResponse): Promise<void> {
    await this.#db.query(sql`
      update idempotency_key set status = ${response.status}, headers = ${JSON.stringify(response.headers)}::jsonb,
        body = ${response.body}
      where id = ${id}`);
  }

  /** Forgets a claimed key, so that the client may retry with it. */
  async release(id: string): Promise<void> {
    await this.#db.query(sql`delete from idempotency_key where id = ${id}`);
  }

  async #purgeExpired(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPurge < PURGE_INTERVAL_MS) {
      return;
    }
    this.#lastPurge = now;
    await this.#db.query(sql`delete from idempotency_key where expires_at < now()`);
  }
}
