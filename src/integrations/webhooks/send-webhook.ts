import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { hostOf, isPrivateAddress, publicOnlyLookup } from './webhook-target.ts';

/** Standard Webhooks: senders time out after 15–30 s. */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** What is kept of a refusal's body, for staff reading `lastError`. */
const KEPT_BODY_BYTES = 500;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  allowPrivateHosts: boolean;
}

/** An answer (any status), or no answer: `status` null and why. */
export interface WebhookOutcome {
  status: number | null;
  retryAfter?: string;
  error?: string;
}

/**
 * POSTs one attempt. Redirects are not followed (a redirect is a failed attempt: following it
 * would get round the address check); the whole exchange is bounded by WEBHOOK_TIMEOUT_MS.
 */
export async function sendWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
  const url = new URL(request.url);
  const host = hostOf(url);
  if (!request.allowPrivateHosts && isIP(host) && isPrivateAddress(host)) {
    return { status: null, error: `${host} is a private address` };
  }
  const options: RequestOptions = {
    method: 'POST',
    headers: {
      ...request.headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(request.body).toString(),
      'user-agent': 'Kinga-Webhooks/1',
    },
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    ...(request.allowPrivateHosts ? {} : { lookup: publicOnlyLookup }),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookOutcome>((resolve) => {
    const outgoing = send(url, options, (response) => {
      readSome(response).then(
        (text) => resolve(outcomeOf(response, text)),
        (error: unknown) => resolve({ status: response.statusCode ?? null, error: describe(error) }),
      );
    });
    outgoing.on('error', (error) => resolve({ status: null, error: describe(error) }));
    outgoing.end(request.body);
  });
}

function outcomeOf(response: IncomingMessage, text: string): WebhookOutcome {
  const status = response.statusCode ?? null;
  const retryAfter = response.headers['retry-after'];
  const ok = status !== null && status >= 200 && status < 300;
  return {
    status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(ok ? {} : { error: `HTTP ${status ?? '?'}${text ? `: ${text}` : ''}` }),
  };
}

/** The start of the body; the rest is discarded, not waited for. */
async function readSome(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= KEPT_BODY_BYTES) {
      response.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, KEPT_BODY_BYTES).toString('utf8').trim();
}

function describe(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  }
  return error instanceof Error ? error.message : String(error);
}
