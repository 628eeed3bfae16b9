import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../../domain/shared/ids.ts';
import { Organisation } from '../../domain/organisation/organisation.entity.ts';

/**
 * A system allowed to call the API (an EMR, DHIS2, a payment gateway, an admin tool). It proves
 * itself with a signed assertion (public keys registered here, or a JWKS URL) or a secret, of
 * which only a hash is kept. `scopes` are the most it may ever be granted.
 */
export const ApiClientSchema = defineEntity({
  name: 'ApiClient',
  tableName: 'api_client',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    clientId: p.string().length(100).unique(),
    name: p.string().length(200),
    scopes: p.text(),
    secretHash: p.string().length(300).nullable(),
    jwks: p.json<{ keys: object[] }>().nullable(),
    jwksUrl: p.string().length(500).nullable(),
    facility: () => p.manyToOne(Organisation).nullable(),
    enabled: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ApiClient extends ApiClientSchema.class {}
ApiClientSchema.setClass(ApiClient);

/** Kinga's own token-signing keys; the newest unretired one signs, all unretired ones verify. */
export const SigningKeyRecordSchema = defineEntity({
  name: 'SigningKeyRecord',
  tableName: 'signing_key',
  properties: {
    kid: p.string().length(100).primary(),
    alg: p.string().length(20),
    privateJwk: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    retiredAt: p.datetime().nullable(),
  },
});
export class SigningKeyRecord extends SigningKeyRecordSchema.class {}
SigningKeyRecordSchema.setClass(SigningKeyRecord);

/** Client assertion ids seen within their lifetime: a replayed assertion is refused (SMART backend services). */
export const UsedAssertionSchema = defineEntity({
  name: 'UsedAssertion',
  tableName: 'used_client_assertion',
  properties: {
    issuer: p.string().length(100).primary(),
    jti: p.string().length(200).primary(),
    expiresAt: p.datetime().index(),
  },
});
export class UsedAssertion extends UsedAssertionSchema.class {}
UsedAssertionSchema.setClass(UsedAssertion);

export const authEntities = [ApiClientSchema, SigningKeyRecordSchema, UsedAssertionSchema];
