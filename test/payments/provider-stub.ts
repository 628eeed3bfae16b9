/**
 * A local stand-in for MTN MoMo Collection and Safaricom Daraja, on a free port with real HTTP:
 * token endpoints (checking the Basic credentials), RequestToPay and its status, STK push and its
 * query (checking the Bearer token, and the STK password). It records every call; tests set what
 * the status APIs answer.
 */
import { randomUUID } from 'node:crypto';
import fastify from 'fastify';
import type { Test } from 'tap';
import { freePort } from '../helpers/free-port.ts';

export const STUB_KEYS = {
  MTN_SUBSCRIPTION_KEY: 'stub-subscription-key',
  MTN_API_USER: '6e1f6c2a-7b3d-4c6b-9d6e-1a2b3c4d5e6f',
  MTN_API_KEY: 'stub-mtn-api-key',
  MTN_TARGET_ENVIRONMENT: 'sandbox',
  MPESA_CONSUMER_KEY: 'stub-consumer-key',
  MPESA_CONSUMER_SECRET: 'stub-consumer-secret',
  MPESA_SHORTCODE: '174379',
  // Daraja's published sandbox passkey.
  MPESA_PASSKEY: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
};

export interface RecordedCall {
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface ProviderStub {
  url: string;
  /** Config for buildTestApp: both clients pointed at the stub. */
  config: Record<string, string>;
  mtn: {
    tokensIssued: number;
    requests: RecordedCall[];
    /** What GET requesttopay/{id} answers; an id not here is 404. */
    statuses: Map<string, object>;
    statusCalls: string[];
  };
  daraja: {
    tokensIssued: number;
    pushes: RecordedCall[];
    /** What stkpushquery answers per CheckoutRequestID; absent: still processing (HTTP 500). */
    queries: Map<string, { ResultCode: string; ResultDesc: string }>;
    queryCalls: string[];
  };
}

const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

export async function startProviderStub(t: Test): Promise<ProviderStub> {
  const server = fastify();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const mtnToken = `mtn-${randomUUID()}`;
  const darajaToken = `daraja-${randomUUID()}`;
  const stub: ProviderStub = {
    url,
    config: { ...STUB_KEYS, MTN_API_URL: url, MPESA_API_URL: url },
    mtn: { tokensIssued: 0, requests: [], statuses: new Map(), statusCalls: [] },
    daraja: { tokensIssued: 0, pushes: [], queries: new Map(), queryCalls: [] },
  };

  server.post('/collection/token/', async (request, reply) => {
    if (
      request.headers.authorization !== basic(STUB_KEYS.MTN_API_USER, STUB_KEYS.MTN_API_KEY) ||
      request.headers['ocp-apim-subscription-key'] !== STUB_KEYS.MTN_SUBSCRIPTION_KEY
    ) {
      return reply.code(401).send({ error: 'login_failed' });
    }
    stub.mtn.tokensIssued += 1;
    return { access_token: mtnToken, token_type: 'access_token', expires_in: 3600 };
  });
  const mtnAuthorised = (headers: Record<string, unknown>) =>
    headers['authorization'] === `Bearer ${mtnToken}` &&
    headers['ocp-apim-subscription-key'] === STUB_KEYS.MTN_SUBSCRIPTION_KEY &&
    headers['x-target-environment'] === STUB_KEYS.MTN_TARGET_ENVIRONMENT;
  server.post('/collection/v1_0/requesttopay', async (request, reply) => {
    if (!mtnAuthorised(request.headers)) {
      return reply.code(401).send({ code: 'UNAUTHORIZED' });
    }
    stub.mtn.requests.push({ headers: request.headers, body: request.body });
    return reply.code(202).send();
  });
  server.get<{ Params: { id: string } }>('/collection/v1_0/requesttopay/:id', async (request, reply) => {
    if (!mtnAuthorised(request.headers)) {
      return reply.code(401).send({ code: 'UNAUTHORIZED' });
    }
    stub.mtn.statusCalls.push(request.params.id);
    const status = stub.mtn.statuses.get(request.params.id);
    return status
      ? status
      : reply.code(404).send({ code: 'RESOURCE_NOT_FOUND', message: 'Requested resource was not found.' });
  });

  server.get('/oauth/v1/generate', async (request, reply) => {
    const { grant_type } = request.query as { grant_type?: string };
    if (
      grant_type !== 'client_credentials' ||
      request.headers.authorization !== basic(STUB_KEYS.MPESA_CONSUMER_KEY, STUB_KEYS.MPESA_CONSUMER_SECRET)
    ) {
      return reply.code(400).send({ errorCode: '400.008.01', errorMessage: 'Invalid Authentication passed' });
    }
    stub.daraja.tokensIssued += 1;
    return { access_token: darajaToken, expires_in: '3599' };
  });
  /** Daraja checks the token and that Password = Base64(ShortCode + Passkey + Timestamp). */
  const darajaRefusal = (request: { headers: Record<string, unknown>; body: any }) => {
    if (request.headers['authorization'] !== `Bearer ${darajaToken}`) {
      return { errorCode: '404.001.03', errorMessage: 'Invalid Access Token' };
    }
    const { BusinessShortCode, Password, Timestamp } = request.body ?? {};
    const expected = Buffer.from(`${BusinessShortCode}${STUB_KEYS.MPESA_PASSKEY}${Timestamp}`).toString(
      'base64',
    );
    if (
      BusinessShortCode !== STUB_KEYS.MPESA_SHORTCODE ||
      !/^\d{14}$/.test(Timestamp) ||
      Password !== expected
    ) {
      return { errorCode: '400.002.02', errorMessage: 'Bad Request - Invalid Password' };
    }
    return null;
  };
  let checkouts = 0;
  server.post('/mpesa/stkpush/v1/processrequest', async (request, reply) => {
    const refusal = darajaRefusal(request);
    if (refusal) {
      return reply.code(400).send({ requestId: randomUUID(), ...refusal });
    }
    stub.daraja.pushes.push({ headers: request.headers, body: request.body });
    checkouts += 1;
    return {
      MerchantRequestID: `29115-${port}-${checkouts}`,
      CheckoutRequestID: `ws_CO_${Date.now()}${port}${checkouts}`,
      ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing',
      CustomerMessage: 'Success. Request accepted for processing',
    };
  });
  server.post('/mpesa/stkpushquery/v1/query', async (request, reply) => {
    const refusal = darajaRefusal(request);
    if (refusal) {
      return reply.code(400).send({ requestId: randomUUID(), ...refusal });
    }
    const checkout = (request.body as { CheckoutRequestID?: string }).CheckoutRequestID ?? '';
    stub.daraja.queryCalls.push(checkout);
    const result = stub.daraja.queries.get(checkout);
    if (!result) {
      return reply.code(500).send({
        requestId: randomUUID(),
        errorCode: '500.001.1001',
        errorMessage: 'The transaction is being processed',
      });
    }
    return {
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successsfully',
      MerchantRequestID: '29115-34620561-1',
      CheckoutRequestID: checkout,
      ...result,
    };
  });

  await server.listen({ port, host: '127.0.0.1' });
  t.teardown(() => server.close());
  return stub;
}
