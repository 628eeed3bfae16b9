import { defineEntity, p } from '@mikro-orm/core';

/**
 * The scheme's membership-card issuer keys (SMART Health Cards), apart from the access-token keys:
 * cards live for years and are verified offline, tokens for minutes. The newest unretired key
 * signs; every unretired key stays in the JWKS so printed cards keep verifying. A configured key
 * (HEALTH_CARD_ISSUER_KEY) is recorded by its public half only.
 */
export const HealthCardKeyRecordSchema = defineEntity({
  name: 'HealthCardKeyRecord',
  tableName: 'health_card_issuer_key',
  properties: {
    kid: p.string().length(100).primary(),
    jwk: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    retiredAt: p.datetime().nullable(),
  },
});
export class HealthCardKeyRecord extends HealthCardKeyRecordSchema.class {}
HealthCardKeyRecordSchema.setClass(HealthCardKeyRecord);
