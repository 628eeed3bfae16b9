import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { Config } from '../config/config.ts';
import { HealthCardKeyRecord } from './health-card-key.entity.ts';

/** SMART Health Cards sign with ES256 on P-256 only. */
export const HEALTH_CARD_ALG = 'ES256';

/** A published issuer key: `kid` is its RFC 7638 SHA-256 thumbprint, as the SMART Health Cards spec requires. */
export interface HealthCardKey {
  kid: string;
  publicJwk: JWK;
}

export interface HealthCardSigner extends HealthCardKey {
  privateKey: CryptoKey;
}

/**
 * The issuer keys of the scheme's membership cards. They are not the access-token keys: a card
 * key must stay published as long as printed cards are in pockets (years) and is verified by
 * anyone offline, while a token key lives for minutes and concerns API clients only; keeping them
 * apart lets each be rotated, retired or revoked without touching the other. The access-token
 * verifier only knows its own keys, so no card signature ever passes for a token.
 */
export class HealthCardKeys {
  readonly signer: HealthCardSigner;
  readonly keys: readonly HealthCardKey[];
  readonly #imported = new Map<string, Promise<CryptoKey>>();

  constructor(signer: HealthCardSigner, keys: HealthCardKey[]) {
    this.signer = signer;
    this.keys = keys;
  }

  /** The public keys for /.well-known/jwks.json (the signer first). */
  jwks(): JWK[] {
    return this.keys.map((k) => k.publicJwk);
  }

  /** The public key of `kid`, if it is one of the scheme's unretired issuer keys. */
  async verificationKey(kid: string | undefined): Promise<CryptoKey | undefined> {
    const key = this.keys.find((k) => k.kid === kid);
    if (!key) {
      return undefined;
    }
    let imported = this.#imported.get(key.kid);
    if (!imported) {
      imported = importJWK(key.publicJwk, HEALTH_CARD_ALG) as Promise<CryptoKey>;
      this.#imported.set(key.kid, imported);
    }
    return imported;
  }
}

const loaded = new WeakMap<Config, Promise<HealthCardKeys>>();

/**
 * The issuer keys of the app configured by `config`, loaded once (at start, by the auth services)
 * from the health_card_issuer_key table: HEALTH_CARD_ISSUER_KEY signs when set (only its public
 * half is recorded); otherwise the newest unretired generated key, or a new one, generated once.
 */
export function healthCardKeys(config: Config, em: EntityManager): Promise<HealthCardKeys> {
  let keys = loaded.get(config);
  if (!keys) {
    keys = load(config, em.fork());
    loaded.set(config, keys);
    keys.catch(() => loaded.delete(config));
  }
  return keys;
}

/** Serialises key creation between instances starting at once (an arbitrary constant). */
const KEY_LOCK = 611_204_985;

async function load(config: Config, em: EntityManager): Promise<HealthCardKeys> {
  return em.transactional(async (tx) => {
    await (tx as SqlEntityManager).execute('select pg_advisory_xact_lock(?)', [KEY_LOCK]);
    let signer: HealthCardSigner;
    if (config.HEALTH_CARD_ISSUER_KEY) {
      signer = await signerOf(JSON.parse(config.HEALTH_CARD_ISSUER_KEY) as JWK);
      const recorded = await tx.findOne(HealthCardKeyRecord, { kid: signer.kid });
      if (recorded?.retiredAt) {
        throw new Error(`HEALTH_CARD_ISSUER_KEY (kid ${signer.kid}) was retired; configure a new key`);
      }
      if (!recorded) {
        tx.create(HealthCardKeyRecord, { kid: signer.kid, jwk: signer.publicJwk });
      }
    } else {
      const newest = (
        await tx.find(HealthCardKeyRecord, { retiredAt: null }, { orderBy: { createdAt: 'desc' } })
      ).find((record) => typeof record.jwk['d'] === 'string');
      if (newest) {
        signer = await signerOf(newest.jwk);
      } else {
        const { privateKey } = await generateKeyPair(HEALTH_CARD_ALG, { extractable: true });
        const jwk = await exportJWK(privateKey);
        signer = await signerOf(jwk);
        tx.create(HealthCardKeyRecord, { kid: signer.kid, jwk: { ...jwk } });
      }
    }
    await tx.flush();
    const unretired = await tx.find(
      HealthCardKeyRecord,
      { retiredAt: null },
      { orderBy: { createdAt: 'desc' } },
    );
    const others = await Promise.all(
      unretired.filter((r) => r.kid !== signer.kid).map((r) => publicKeyOf(r.jwk as JWK)),
    );
    return new HealthCardKeys(signer, [signer, ...others]);
  });
}

async function publicKeyOf(jwk: JWK): Promise<HealthCardKey> {
  const { kty, crv, x, y } = jwk;
  const kid = await calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
  return { kid, publicJwk: { kty, kid, use: 'sig', alg: HEALTH_CARD_ALG, crv, x, y } };
}

async function signerOf(privateJwk: JWK): Promise<HealthCardSigner> {
  const key = await publicKeyOf(privateJwk);
  const privateKey = (await importJWK({ ...privateJwk, alg: HEALTH_CARD_ALG }, HEALTH_CARD_ALG)) as CryptoKey;
  return { ...key, privateKey };
}
