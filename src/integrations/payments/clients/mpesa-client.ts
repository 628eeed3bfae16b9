import type { Config } from '../../../platform/config/config.ts';
import { CachedToken, callProvider, expectStatus, ProviderHttpError } from './provider-http.ts';

export interface DarajaSettings {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** The Paybill (or Till) number: BusinessShortCode and PartyB. */
  shortCode: string;
  passkey: string;
}

export interface StkPush {
  /** Whole shillings: M-Pesa moves no cents. */
  amount: number;
  /** The payer's MSISDN, international digits (2547XXXXXXXX). */
  phone: string;
  /** Our payment reference, shown to the payer as the account (at most 12 characters). */
  accountReference: string;
  callbackUrl: string;
  description: string;
}

/** What stkpushquery says of a push: a final ResultCode, or still being processed. */
export type StkQueryResult = { resultCode: string; resultDesc: string } | 'processing';

/** Daraja's answer while the payer has not finished: HTTP 500, errorCode 500.001.1001. */
const PROCESSING = '500.001.1001';

/** Timestamps are Kenyan time (yyyyMMddHHmmss), the time Daraja checks the password against. */
const DARAJA_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export function darajaTimestamp(now: Date = new Date()): string {
  const parts = DARAJA_TIME.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}${part('hour')}${part('minute')}${part('second')}`;
}

/** Password = Base64(ShortCode + Passkey + Timestamp) (integrations.md §5.1). */
export function stkPassword(shortCode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortCode}${passkey}${timestamp}`).toString('base64');
}

/**
 * Safaricom Daraja (https://developer.safaricom.co.ke/APIs): an OAuth token from the consumer key
 * and secret, then M-Pesa Express (STK push) and its status query.
 */
export class MpesaClient {
  readonly #settings: DarajaSettings;
  readonly #token = new CachedToken();

  constructor(settings: DarajaSettings) {
    this.#settings = { ...settings, baseUrl: settings.baseUrl.replace(/\/+$/, '') };
  }

  /** POST /mpesa/stkpush/v1/processrequest: ResponseCode "0" means the prompt was sent, not paid. */
  async stkPush(push: StkPush): Promise<{ checkoutRequestId: string; merchantRequestId: string }> {
    const { shortCode } = this.#settings;
    const response = await this.#post('/mpesa/stkpush/v1/processrequest', {
      ...this.#credentials(),
      TransactionType: 'CustomerPayBillOnline',
      Amount: push.amount,
      PartyA: push.phone,
      PartyB: shortCode,
      PhoneNumber: push.phone,
      CallBackURL: push.callbackUrl,
      AccountReference: push.accountReference,
      TransactionDesc: push.description,
    });
    expectStatus(response, 'M-Pesa STK push');
    const body = response.body as
      { CheckoutRequestID?: string; MerchantRequestID?: string; ResponseCode?: string | number } | undefined;
    if (String(body?.ResponseCode) !== '0' || !body?.CheckoutRequestID) {
      throw new ProviderHttpError(
        `M-Pesa STK push: not accepted ${JSON.stringify(body ?? '').slice(0, 300)}`,
        // Answered, but refused: as a 4xx would be.
        400,
        body,
      );
    }
    return { checkoutRequestId: body.CheckoutRequestID, merchantRequestId: body.MerchantRequestID ?? '' };
  }

  /** POST /mpesa/stkpushquery/v1/query: the outcome of a push, by its CheckoutRequestID. */
  async stkPushQuery(checkoutRequestId: string): Promise<StkQueryResult> {
    const response = await this.#post('/mpesa/stkpushquery/v1/query', {
      ...this.#credentials(),
      CheckoutRequestID: checkoutRequestId,
    });
    const body = response.body as
      { ResultCode?: string | number; ResultDesc?: string; errorCode?: string } | undefined;
    if (body?.errorCode === PROCESSING) {
      return 'processing';
    }
    expectStatus(response, 'M-Pesa STK push query');
    if (body?.ResultCode === undefined) {
      throw new ProviderHttpError('M-Pesa STK push query: no ResultCode', response.status, body);
    }
    return { resultCode: String(body.ResultCode), resultDesc: body.ResultDesc ?? '' };
  }

  #credentials(): { BusinessShortCode: string; Password: string; Timestamp: string } {
    const { shortCode, passkey } = this.#settings;
    const timestamp = darajaTimestamp();
    return {
      BusinessShortCode: shortCode,
      Password: stkPassword(shortCode, passkey, timestamp),
      Timestamp: timestamp,
    };
  }

  async #post(path: string, body: object) {
    const token = await this.#token.get(() => this.#fetchToken());
    const response = await callProvider(`${this.#settings.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status === 401) {
      this.#token.clear();
    }
    return response;
  }

  /** GET /oauth/v1/generate?grant_type=client_credentials with Basic consumer key:secret. */
  async #fetchToken(): Promise<{ token: string; expiresInSeconds: number }> {
    const { baseUrl, consumerKey, consumerSecret } = this.#settings;
    const response = await callProvider(`${baseUrl}/oauth/v1/generate?grant_type=client_credentials`, {
      method: 'GET',
      headers: {
        authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}`,
      },
    });
    expectStatus(response, 'M-Pesa OAuth', 200);
    const body = response.body as { access_token?: string; expires_in?: string | number } | undefined;
    if (!body?.access_token) {
      throw new ProviderHttpError('M-Pesa OAuth: no access_token', response.status, response.body);
    }
    return { token: body.access_token, expiresInSeconds: Number(body.expires_in ?? 3599) || 3599 };
  }
}

/** The Daraja client when its API is configured (URL, consumer key and secret, shortcode, passkey). */
export function mpesaClientFrom(config: Config): MpesaClient | undefined {
  const { MPESA_API_URL, MPESA_CONSUMER_KEY, MPESA_CONSUMER_SECRET, MPESA_SHORTCODE, MPESA_PASSKEY } = config;
  if (!MPESA_API_URL || !MPESA_CONSUMER_KEY || !MPESA_CONSUMER_SECRET || !MPESA_SHORTCODE || !MPESA_PASSKEY) {
    return undefined;
  }
  return new MpesaClient({
    baseUrl: MPESA_API_URL,
    consumerKey: MPESA_CONSUMER_KEY,
    consumerSecret: MPESA_CONSUMER_SECRET,
    shortCode: MPESA_SHORTCODE,
    passkey: MPESA_PASSKEY,
  });
}
