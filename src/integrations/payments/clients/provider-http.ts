/** A provider that has not answered in this time is treated as unreachable. */
export const PROVIDER_TIMEOUT_MS = 15_000;

/** A provider call that failed: `status` is the provider's HTTP status, undefined when it never answered. */
export class ProviderHttpError extends Error {
  readonly status: number | undefined;
  readonly body: unknown;

  constructor(message: string, status: number | undefined, body: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderHttpError';
    this.status = status;
    this.body = body;
  }

  /** 4xx other than authentication and throttling: the provider refuses what was asked. */
  get refused(): boolean {
    return (
      this.status !== undefined &&
      this.status >= 400 &&
      this.status < 500 &&
      ![401, 403, 408, 429].includes(this.status)
    );
  }
}

export interface ProviderResponse {
  status: number;
  /** The JSON body, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
  text: string;
}

/** One HTTP call to a provider (fetch, with a timeout); any status is returned, only no answer throws. */
export async function callProvider(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<ProviderResponse> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
    text = await response.text();
  } catch (error) {
    throw new ProviderHttpError(
      `${init.method} ${new URL(url).pathname}: ${(error as Error).message}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, text };
}

/** Throws unless the provider answered `expected` (or any 2xx when not given). */
export function expectStatus(response: ProviderResponse, what: string, expected?: number): ProviderResponse {
  const ok =
    expected === undefined ? response.status >= 200 && response.status < 300 : response.status === expected;
  if (!ok) {
    const detail = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
    throw new ProviderHttpError(
      `${what}: HTTP ${response.status} ${detail.slice(0, 300)}`,
      response.status,
      response.body,
    );
  }
  return response;
}

/**
 * An OAuth access token kept until shortly before it expires, fetched once for concurrent callers
 * (Daraja and MTN tokens live about an hour; asking for one per call would double every call).
 */
export class CachedToken {
  #value: Promise<{ token: string; expiresAt: number }> | undefined;

  async get(fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>): Promise<string> {
    const current = this.#value;
    if (current) {
      try {
        const held = await current;
        if (held.expiresAt > Date.now()) {
          return held.token;
        }
      } catch {
        // A failed fetch is not kept: ask again below.
      }
    }
    if (this.#value === current) {
      this.#value = fetchToken().then(({ token, expiresInSeconds }) => ({
        token,
        // A minute's margin, so a token never expires between the check and the provider's.
        expiresAt: Date.now() + Math.max(0, expiresInSeconds - 60) * 1000,
      }));
    }
    return (await this.#value!).token;
  }

  /** Forgets the token (the provider said 401: it was revoked or expired early). */
  clear(): void {
    this.#value = undefined;
  }
}
