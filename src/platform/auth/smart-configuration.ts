import type { Config } from '../config/config.ts';

/** SMART App Launch discovery (conformance.html), limited to what Backend Services use. */
export function smartConfiguration(config: Config): Record<string, unknown> {
  const base = config.PUBLIC_BASE_URL;
  return {
    issuer: base,
    jwks_uri: `${base}/.well-known/jwks.json`,
    token_endpoint: `${base}/auth/token`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: ['system/*.cruds', 'system/*.rs'],
    // health-cards: Patient/$health-cards-issue (SMART Health Cards, membership cards).
    capabilities: ['client-confidential-asymmetric', 'permission-v2', 'permission-v1', 'health-cards'],
  };
}
