import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { normaliseReference } from '../../domain/payment/payment-reference-number.ts';
import { PaymentReference } from '../../domain/payment/payment-reference.entity.ts';
import { PaymentRequest } from '../../domain/payment/payment-request.entity.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import {
  compareMoney,
  fromMinor,
  subtractMoney,
  toMinor,
  ZERO,
  type Money,
} from '../../domain/shared/money.ts';
import type { Authenticator } from '../../platform/auth/principal.ts';
import { bearerAuthentication, requireScope } from '../../platform/auth/route-guards.ts';
import type { Config } from '../../platform/config/config.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { mpesaClientFrom } from './clients/mpesa-client.ts';
import { mtnClientFrom } from './clients/mtn-client.ts';
import { ProviderHttpError } from './clients/provider-http.ts';

export interface PaymentRequestRoutesOptions {
  config: Config;
  orm: MikroORM;
  authenticate: Authenticator;
}

const RequestBody = Type.Object(
  {
    provider: Type.Union([Type.Literal('mpesa'), Type.Literal('mtn')]),
    reference: Type.String({ minLength: 1, maxLength: 40, description: 'The open payment reference to pay' }),
    phone: Type.String({
      pattern: '^\\+?[0-9]{9,15}$',
      description: "The payer's phone number in international form (2547…, 256…), with or without +",
    }),
  },
  { additionalProperties: false },
);
type RequestBody = Static<typeof RequestBody>;

const Answer = Type.Object({
  provider: Type.String(),
  requestId: Type.String({ description: 'CheckoutRequestID (M-Pesa) or X-Reference-Id (MTN)' }),
  reference: Type.String(),
  amount: Type.String({ description: 'Decimal amount asked for' }),
  currency: Type.String(),
});

/** M-Pesa moves whole shillings: a balance with cents is asked rounded up (the excess is a credit). */
function wholeUnits(amount: Money): Money {
  const minor = toMinor(amount);
  return fromMinor(((minor + 99n) / 100n) * 100n);
}

/**
 * Asks a payer to pay an open payment reference on their phone: an M-Pesa STK push or an MTN
 * RequestToPay for what the reference still expects. The provider answers at once that it has
 * asked (not that anyone paid); the request is stored so its callback (which does not repeat the
 * reference) finds the policy, and an MTN request without a callback is polled. Bearer token with
 * scope PaymentNotice.c; an Idempotency-Key is honoured as on every authenticated POST.
 */
export async function paymentRequestRoutes(
  app: FastifyInstance,
  options: PaymentRequestRoutesOptions,
): Promise<void> {
  const { config, orm, authenticate } = options;
  const mpesa = mpesaClientFrom(config);
  const mtn = mtnClientFrom(config);
  app.addHook('onRequest', bearerAuthentication(authenticate));

  app.post<{ Body: RequestBody }>(
    '/requests',
    {
      schema: {
        tags: ['Payments'],
        summary: 'Ask a payer to pay a payment reference (M-Pesa STK push, MTN RequestToPay)',
        description:
          'Answers 202 once the provider has sent the prompt to the phone; the payment arrives by the ' +
          "provider's callback and is allocated like any other.",
        body: RequestBody,
        response: { 202: Answer },
      },
    },
    async (request, reply) => {
      requireScope(request, 'PaymentNotice', 'c', 'ask for a payment');
      const { provider } = request.body;
      const phone = request.body.phone.replace(/^\+/, '');
      const { reference, due } = await openReference(orm, request.body.reference);
      const context = { actor: request.principal!.clientId, requestId: request.id };
      const base = `${config.PUBLIC_BASE_URL}/payments`;
      let requestId: string;
      let amount: Money;
      if (provider === 'mtn') {
        if (!mtn || !config.MTN_CALLBACK_SECRET) {
          throw new KingaError('payment.provider-off', { provider: 'MTN MoMo' });
        }
        requestId = randomUUID();
        amount = due;
        // Stored first: our id is known before the call, and the callback may come at any time after.
        const stored = await store(orm, context, { provider, requestId, reference, amount, phone }, config);
        try {
          await mtn.requestToPay({
            referenceId: requestId,
            amount,
            currency: config.CURRENCY,
            externalId: reference,
            payer: phone,
            callbackUrl: `${base}/mtn/${config.MTN_CALLBACK_SECRET}/requesttopay/${requestId}`,
            payerMessage: `Insurance premium ${reference}`,
            payeeNote: `Payment reference ${reference}`,
          });
        } catch (error) {
          await inTransaction(orm.em.fork(), context, (tx) =>
            tx.nativeDelete(PaymentRequest, { id: stored }),
          );
          throw providerError('MTN MoMo', error);
        }
      } else {
        if (!mpesa || !config.MPESA_CALLBACK_SECRET) {
          throw new KingaError('payment.provider-off', { provider: 'M-Pesa' });
        }
        amount = wholeUnits(due);
        try {
          const pushed = await mpesa.stkPush({
            amount: Number(toMinor(amount) / 100n),
            phone,
            accountReference: reference,
            callbackUrl: `${base}/mpesa/${config.MPESA_CALLBACK_SECRET}/stk`,
            description: 'Premium',
          });
          requestId = pushed.checkoutRequestId;
        } catch (error) {
          throw providerError('M-Pesa', error);
        }
        await store(orm, context, { provider, requestId, reference, amount, phone }, config);
      }
      return reply.code(202).send({ provider, requestId, reference, amount, currency: config.CURRENCY });
    },
  );
}

/** The reference, if open, and what it still expects. */
async function openReference(orm: MikroORM, given: string): Promise<{ reference: string; due: Money }> {
  const reference = await orm.em
    .fork()
    .findOne(PaymentReference, { reference: normaliseReference(given), deletedAt: null });
  if (!reference || reference.status !== 'open') {
    throw new KingaError('payment.reference-unknown', { reference: given }, { field: 'reference' });
  }
  const due = subtractMoney(reference.expectedAmount, reference.paidAmount);
  if (compareMoney(due, ZERO) <= 0) {
    throw new KingaError('payment.nothing-due', { policy: reference.policy.id }, { field: 'reference' });
  }
  return { reference: reference.reference, due };
}

async function store(
  orm: MikroORM,
  context: { actor: string; requestId: string },
  request: { provider: 'mpesa' | 'mtn'; requestId: string; reference: string; amount: Money; phone: string },
  config: Config,
): Promise<string> {
  return inTransaction(orm.em.fork(), context, async (tx) => {
    const stored = tx.create(PaymentRequest, {
      provider: request.provider,
      providerRequestId: request.requestId,
      reference: request.reference,
      amount: request.amount,
      currency: config.CURRENCY,
      payer: request.phone,
    } as PaymentRequest);
    await tx.flush();
    return stored.id;
  });
}

/** A refusal (4xx, or an answer that is not an acceptance) is the caller's to fix; anything else is ours. */
function providerError(provider: string, error: unknown): KingaError {
  if (!(error instanceof ProviderHttpError)) {
    return new KingaError(
      'payment.provider-unavailable',
      { provider, detail: String(error) },
      { cause: error },
    );
  }
  return new KingaError(
    error.refused ? 'payment.provider-refused' : 'payment.provider-unavailable',
    { provider, detail: error.message },
    { cause: error },
  );
}
