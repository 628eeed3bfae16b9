import type { Money } from '../../../domain/shared/money.ts';
import type { Config } from '../../../platform/config/config.ts';
import { CachedToken, callProvider, expectStatus, ProviderHttpError } from './provider-http.ts';

export interface MtnSettings {
  baseUrl: string;
  subscriptionKey: string;
  apiUser: string;
  apiKey: string;
  targetEnvironment: string;
}

export interface RequestToPay {
  /** X-Reference-Id: a UUID v4 Kinga chooses, the request's id at MTN and in its callback URL. */
  referenceId: string;
  amount: Money;
  currency: string;
  /** Our payment reference ("used for reconciliation", not unique at MTN). */
  externalId: string;
  /** The payer's MSISDN, international digits without "+". */
  payer: string;
  callbackUrl: string;
  payerMessage: string;
  payeeNote: string;
}

/** MTN's RequestToPayResult: the GET answer, and the callback body (integrations.md §5.2). */
export interface RequestToPayResult {
  financialTransactionId?: string;
  externalId?: string;
  amount?: string | number;
  currency?: string;
  payer?: { partyIdType?: string; partyId?: string };
  status?: string;
  /** A bare string in callbacks, `{code, message}` on GET. */
  reason?: string | { code?: string; message?: string };
}

/**
 * MTN MoMo Collection (https://momodeveloper.mtn.com/api-documentation): a Bearer token from the
 * API user and key, then RequestToPay and its status. Every call carries the product's
 * subscription key and the target environment.
 */
export class MtnClient {
  readonly #settings: MtnSettings;
  readonly #token = new CachedToken();

  constructor(settings: MtnSettings) {
    this.#settings = { ...settings, baseUrl: settings.baseUrl.replace(/\/+$/, '') };
  }

  /** POST /collection/v1_0/requesttopay: 202 means asked, not paid; the outcome comes by callback. */
  async requestToPay(request: RequestToPay): Promise<void> {
    const response = await callProvider(`${this.#settings.baseUrl}/collection/v1_0/requesttopay`, {
      method: 'POST',
      headers: {
        ...(await this.#headers()),
        'content-type': 'application/json',
        'x-reference-id': request.referenceId,
        'x-callback-url': request.callbackUrl,
      },
      body: JSON.stringify({
        amount: request.amount,
        currency: request.currency,
        externalId: request.externalId,
        payer: { partyIdType: 'MSISDN', partyId: request.payer },
        payerMessage: request.payerMessage,
        payeeNote: request.payeeNote,
      }),
    });
    this.#forgetTokenOn401(response.status);
    expectStatus(response, 'MTN requesttopay', 202);
  }

  /** GET /collection/v1_0/requesttopay/{referenceId}; null when MTN knows no such request. */
  async requestToPayStatus(referenceId: string): Promise<{ result: RequestToPayResult; raw: string } | null> {
    const response = await callProvider(
      `${this.#settings.baseUrl}/collection/v1_0/requesttopay/${encodeURIComponent(referenceId)}`,
      { method: 'GET', headers: await this.#headers() },
    );
    this.#forgetTokenOn401(response.status);
    if (response.status === 404) {
      return null;
    }
    expectStatus(response, 'MTN requesttopay status', 200);
    if (!response.body || typeof response.body !== 'object') {
      throw new ProviderHttpError(
        'MTN requesttopay status: not a JSON object',
        response.status,
        response.body,
      );
    }
    return { result: response.body, raw: response.text };
  }

  async #headers(): Promise<Record<string, string>> {
    const token = await this.#token.get(() => this.#fetchToken());
    return {
      authorization: `Bearer ${token}`,
      'ocp-apim-subscription-key': this.#settings.subscriptionKey,
      'x-target-environment': this.#settings.targetEnvironment,
    };
  }

  /** POST /collection/token/ with Basic API user:key. */
  async #fetchToken(): Promise<{ token: string; expiresInSeconds: number }> {
    const { apiUser, apiKey, subscriptionKey, baseUrl } = this.#settings;
    const response = await callProvider(`${baseUrl}/collection/token/`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${apiUser}:${apiKey}`).toString('base64')}`,
        'ocp-apim-subscription-key': subscriptionKey,
      },
    });
    expectStatus(response, 'MTN token', 200);
    const body = response.body as { access_token?: string; expires_in?: number | string } | undefined;
    if (!body?.access_token) {
      throw new ProviderHttpError('MTN token: no access_token', response.status, response.body);
    }
    return { token: body.access_token, expiresInSeconds: Number(body.expires_in ?? 3600) || 3600 };
  }

  #forgetTokenOn401(status: number): void {
    if (status === 401) {
      this.#token.clear();
    }
  }
}

/** The MTN client when its API is configured (URL, subscription key, API user and key). */
export function mtnClientFrom(config: Config): MtnClient | undefined {
  const { MTN_API_URL, MTN_SUBSCRIPTION_KEY, MTN_API_USER, MTN_API_KEY } = config;
  if (!MTN_API_URL || !MTN_SUBSCRIPTION_KEY || !MTN_API_USER || !MTN_API_KEY) {
    return undefined;
  }
  return new MtnClient({
    baseUrl: MTN_API_URL,
    subscriptionKey: MTN_SUBSCRIPTION_KEY,
    apiUser: MTN_API_USER,
    apiKey: MTN_API_KEY,
    targetEnvironment: config.MTN_TARGET_ENVIRONMENT,
  });
}
