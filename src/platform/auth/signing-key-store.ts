import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { JWK } from 'jose';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Config } from '../config/config.ts';
import { SigningKeyRecord } from './auth.entities.ts';
import {
  generateSigningJwk,
  isPrivateJwk,
  signingKeyFromJwk,
  verificationKeyFromJwk,
  type SigningKey,
  type VerificationKey,
} from './signing-keys.ts';

export interface LoadedKeys {
  signingKey: SigningKey;
  /** Every other unretired key: tokens they signed stay valid, and they stay in the JWKS. */
  otherKeys: VerificationKey[];
}

/** Serialises key creation between instances starting at once (an arbitrary constant). */
const KEY_LOCK = 742_119_301;

/**
 * Kinga's signing keys, kept in the signing_key table so that a restart keeps issued tokens valid.
 * SIGNING_KEY (required in production) signs when set; only its public half is recorded, so the
 * database never holds the operator's private key. Otherwise the newest unretired generated key
 * signs, and one is generated and stored when there is none.
 */
export async function loadSigningKeys(config: Config, orm: MikroORM): Promise<LoadedKeys> {
  return orm.em.fork().transactional(async (em) => {
    await (em as SqlEntityManager).execute('select pg_advisory_xact_lock(?)', [KEY_LOCK]);
    let signingKey: SigningKey;
    if (config.SIGNING_KEY) {
      signingKey = await signingKeyFromJwk(JSON.parse(config.SIGNING_KEY) as JWK);
      const recorded = await em.findOne(SigningKeyRecord, { kid: signingKey.kid });
      if (recorded?.retiredAt) {
        throw new Error(`SIGNING_KEY (kid ${signingKey.kid}) was retired; configure a new key`);
      }
      if (!recorded) {
        em.create(SigningKeyRecord, {
          kid: signingKey.kid,
          alg: signingKey.alg,
          privateJwk: signingKey.publicJwk,
        });
      }
    } else {
      const newest = (
        await em.find(SigningKeyRecord, { retiredAt: null }, { orderBy: { createdAt: 'desc' } })
      ).find((record) => isPrivateJwk(record.privateJwk as JWK));
      if (newest) {
        signingKey = await signingKeyFromJwk({
          ...(newest.privateJwk as JWK),
          kid: newest.kid,
          alg: newest.alg,
        });
      } else {
        const generated = await generateSigningJwk();
        signingKey = await signingKeyFromJwk(generated);
        em.create(SigningKeyRecord, {
          kid: signingKey.kid,
          alg: signingKey.alg,
          privateJwk: { ...generated, kid: signingKey.kid },
        });
      }
    }
    await em.flush();
    const unretired = await em.find(SigningKeyRecord, { retiredAt: null });
    const otherKeys = unretired
      .filter((record) => record.kid !== signingKey.kid)
      .map((record) =>
        verificationKeyFromJwk({ ...(record.privateJwk as JWK), kid: record.kid, alg: record.alg }),
      );
    return { signingKey, otherKeys };
  });
}

export interface SigningKeySummary {
  kid: string;
  alg: string;
  createdAt: Date;
  retiredAt: Date | null;
  /** False for a recorded SIGNING_KEY, whose private half lives only in the configuration. */
  storedPrivately: boolean;
}

export async function listSigningKeys(orm: MikroORM): Promise<SigningKeySummary[]> {
  const records = await orm.em.fork().find(SigningKeyRecord, {}, { orderBy: { createdAt: 'asc' } });
  return records.map((r) => ({
    kid: r.kid,
    alg: r.alg,
    createdAt: r.createdAt,
    retiredAt: r.retiredAt ?? null,
    storedPrivately: isPrivateJwk(r.privateJwk as JWK),
  }));
}

/** Retires a key: after the next restart it neither signs nor verifies, nor appears in the JWKS. */
export async function retireSigningKey(orm: MikroORM, kid: string): Promise<void> {
  const em = orm.em.fork();
  const record = await em.findOne(SigningKeyRecord, { kid });
  if (!record) {
    throw new KingaError('auth.signing-key-not-found', { kid });
  }
  record.retiredAt ??= new Date();
  await em.flush();
}
