import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';

/** Expired rows are purged at most this often (per process). */
const PURGE_INTERVAL_MS = 60_000;

/**
 * Client assertion ids already used (SMART client-confidential-asymmetric: "the jti value has not
 * been previously encountered for the given iss within the maximum allowed authentication JWT
 * lifetime"). The primary key (issuer, jti) makes the check atomic across instances.
 */
export class UsedAssertions {
  readonly #orm: MikroORM;
  #lastPurge = 0;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  /** Records the jti until `expiresAt`; false when it was already recorded (a replay). */
  async claim(issuer: string, jti: string, expiresAt: Date): Promise<boolean> {
    const em = this.#orm.em.fork() as SqlEntityManager;
    await this.#purgeExpired(em);
    const result = await em.execute<{ affectedRows: number }>(
      'insert into used_client_assertion (issuer, jti, expires_at) values (?, ?, ?) on conflict do nothing',
      [issuer, jti, expiresAt],
      'run',
    );
    return result.affectedRows === 1;
  }

  async #purgeExpired(em: SqlEntityManager): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPurge < PURGE_INTERVAL_MS) {
      return;
    }
    this.#lastPurge = now;
    await em.execute('delete from used_client_assertion where expires_at < now()', [], 'run');
  }
}
