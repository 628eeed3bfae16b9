/**
 * OpenAPI descriptions of the token endpoint and the JWKS (SMART App Launch backend-services.md,
 * RFC 6749 §4.4 and §5, RFC 7523 §2.2).
 */
const oauthError = (description: string) => ({
  description,
  type: 'object',
  properties: {
    error: {
      type: 'string',
      description: 'invalid_request, unsupported_grant_type, invalid_scope or invalid_client (RFC 6749 §5.2)',
    },
    error_description: { type: 'string' },
  },
});

const text = (description: string) => ({ type: 'string', description });

export const tokenRouteSchema = {
  tags: ['Auth'],
  summary: 'Obtain an access token (SMART Backend Services, client_credentials)',
  description:
    'OAuth 2.0 client credentials grant. The client authenticates with a signed JWT assertion ' +
    '(private_key_jwt: RS384 or ES384, iss = sub = client_id, aud = this URL, exp at most 5 minutes ' +
    'ahead, a jti never used before) or with HTTP Basic client_id:secret (client_secret_basic). ' +
    'The granted scope is the requested scope narrowed to what the client is pre-authorised for. ' +
    'No refresh token is issued; request a new token when it expires.',
  consumes: ['application/x-www-form-urlencoded'],
  body: {
    type: 'object',
    description: 'Form-encoded token request',
    properties: {
      grant_type: text('Always client_credentials'),
      scope: text('Space-separated SMART system scopes, e.g. "system/Patient.rs system/Claim.crs"'),
      client_assertion_type: text('urn:ietf:params:oauth:client-assertion-type:jwt-bearer (private_key_jwt)'),
      client_assertion: text('The signed JWT (private_key_jwt)'),
      client_id: text('Optional; must name the authenticated client when given'),
    },
  },
  response: {
    200: {
      description: 'The access token (Cache-Control: no-store)',
      type: 'object',
      properties: {
        access_token: text('Bearer token (a JWT typed at+jwt) for the FHIR API'),
        token_type: text('Always bearer'),
        expires_in: { type: 'integer', description: 'Lifetime in seconds, at most 300' },
        scope: text('The scopes granted, which may be fewer than requested'),
      },
    },
    400: oauthError('Malformed request, unsupported grant type, or no requested scope can be granted'),
    401: oauthError('Client authentication failed (invalid_client)'),
  },
};

export const jwksRouteSchema = {
  tags: ['Auth'],
  summary: "Kinga's public signing keys (JWKS): access tokens and membership cards",
  description:
    'Every unretired public key that verifies access tokens issued by this server; the newest signs. ' +
    'Resource servers may cache it for a few minutes. Also the issuer keys of the SMART Health Cards on ' +
    'membership cards (kid = RFC 7638 thumbprint), which stay published while printed cards are in use.',
  response: {
    200: {
      description: 'JSON Web Key Set (RFC 7517 §5)',
      type: 'object',
      properties: {
        keys: { type: 'array', items: { type: 'object', additionalProperties: true } },
      },
    },
  },
};
