/** The parts of an OpenAPI 3.1 document this touches. */
interface OpenApiDocument {
  components?: { parameters?: Record<string, unknown> };
  paths?: Record<string, { post?: { security?: unknown[]; parameters?: unknown[] } } | undefined>;
}

const PARAMETER = 'IdempotencyKey';
const REF = { $ref: `#/components/parameters/${PARAMETER}` };

const parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe (Stripe semantics; draft-ietf-httpapi-idempotency-key-header): 1 to 255 printable ' +
    'ASCII characters, unique per request, e.g. a UUID. A repeat of the same request (method, URL and body) ' +
    'with the same key gets the first response again, with `Idempotent-Replayed: true`, and runs nothing. ' +
    'The same key with a different request is a 422; while the first is still running, a 409. ' +
    'A 5xx is not kept, so the request may be retried with its key. Keys are scoped to the client ' +
    'and path and kept IDEMPOTENCY_KEY_TTL_HOURS (default 24).',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

/**
 * Adds the optional Idempotency-Key header to every POST operation that needs a token (the token
 * endpoint itself has no client to scope a key by, so it does not honour one).
 */
export function documentIdempotencyKey<D>(document: D): D {
  const openapi = document as OpenApiDocument;
  const components = (openapi.components ??= {});
  (components.parameters ??= {})[PARAMETER] = parameter;
  for (const item of Object.values(openapi.paths ?? {})) {
    const post = item?.post;
    if (!post?.security || post.security.length === 0) {
      continue;
    }
    const parameters = (post.parameters ??= []);
    if (!parameters.some((p) => (p as { $ref?: string }).$ref === REF.$ref)) {
      parameters.push(REF);
    }
  }
  return document;
}
