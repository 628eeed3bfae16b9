import { Type, type Static } from '@sinclair/typebox';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { issuePaymentReference } from '../../domain/payment/issue-payment-reference.ts';
import { PaymentInbox } from '../../domain/payment/payment-inbox.entity.ts';
import { normaliseReference } from '../../domain/payment/payment-reference-number.ts';
import { PaymentReference, ReferencePurposes } from '../../domain/payment/payment-reference.entity.ts';
import { resolvePaymentException } from '../../domain/payment/resolve-payment-exception.ts';
import { policyRulesFrom } from '../../domain/policy/policy-rules.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import type { Authenticator } from '../../platform/auth/principal.ts';
import { bearerAuthentication, requireScope } from '../../platform/auth/route-guards.ts';
import type { Permission } from '../../platform/auth/scopes.ts';
import type { Config } from '../../platform/config/config.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';

export interface StaffRoutesOptions {
  config: Config;
  orm: MikroORM;
  authenticate: Authenticator;
}

const ReferenceBody = Type.Object(
  {
    policy: Type.String({ format: 'uuid', description: 'The policy (Contract id) the premium is for' }),
    purpose: Type.Optional(Type.Union(ReferencePurposes.map((p) => Type.Literal(p)))),
  },
  { additionalProperties: false },
);
const AssignBody = Type.Object(
  {
    reference: Type.String({ minLength: 1, description: 'The payment reference the payment was meant for' }),
    amount: Type.Optional(
      Type.String({
        pattern: '^\\d{1,16}(\\.\\d{1,2})?$',
        description: "The amount received, when the provider's callback did not say it (Airtel's)",
      }),
    ),
  },
  { additionalProperties: false },
);
const RefundBody = Type.Object(
  { note: Type.String({ minLength: 1, description: 'How and when the money was returned' }) },
  { additionalProperties: false },
);

function referenceView(reference: PaymentReference, currency: string) {
  return {
    reference: reference.reference,
    policy: reference.policy.id,
    purpose: reference.purpose,
    expectedAmount: reference.expectedAmount,
    paidAmount: reference.paidAmount,
    currency,
    status: reference.status,
    createdAt: reference.createdAt.toISOString(),
  };
}

function exceptionView(entry: PaymentInbox) {
  return {
    id: entry.id,
    provider: entry.provider,
    transaction: entry.providerTxnId,
    receivedAt: entry.receivedAt.toISOString(),
    reference: entry.event.reference ?? null,
    amount: entry.event.amount ?? null,
    currency: entry.event.currency ?? null,
    payer: entry.event.payer ?? null,
    status: entry.status,
    reason: entry.lastError ?? null,
    resolution: entry.resolution ?? null,
    policy: entry.policyId ?? null,
  };
}

/**
 * Scheme staff's side of payments (REST, problem+json errors): payment references for what a
 * policy owes, and the exceptions list — payments that matched nothing — which staff resolve by
 * assigning them to a reference or recording a refund. Bearer token with PaymentNotice scopes
 * (r to read, c to issue references, u to resolve exceptions).
 */
export async function paymentStaffRoutes(app: FastifyInstance, options: StaffRoutesOptions): Promise<void> {
  const { config, orm, authenticate } = options;
  const rules = policyRulesFrom(config);
  app.addHook('onRequest', bearerAuthentication(authenticate));
  const need = (request: FastifyRequest, permission: Permission, interaction: string) =>
    requireScope(request, 'PaymentNotice', permission, interaction);
  const actor = (request: FastifyRequest) => ({ actor: request.principal!.clientId, requestId: request.id });

  app.post<{ Body: Static<typeof ReferenceBody> }>(
    '/references',
    {
      schema: {
        tags: ['Payments'],
        summary: 'Issue a payment reference (control number) for what a policy owes',
        description:
          'Answers the open reference for the policy’s balance (the same one again while the same amount is ' +
          'owed). Payers type it as M-Pesa BillRefNumber/AccountReference, MTN externalId, Airtel ' +
          'transaction.id or a Mojaloop note. 12 digits with ISO 7064 MOD 97-10 check digits.',
        body: ReferenceBody,
      },
    },
    async (request, reply) => {
      need(request, 'c', 'issue a payment reference');
      const issued = await inTransaction(orm.em.fork(), actor(request), async (tx) => {
        const reference = await issuePaymentReference(
          tx,
          {
            policyId: request.body.policy,
            ...(request.body.purpose ? { purpose: request.body.purpose } : {}),
          },
          rules,
        );
        await tx.flush();
        return referenceView(reference, config.CURRENCY);
      });
      return reply.code(201).send(issued);
    },
  );

  app.get<{ Params: { reference: string } }>(
    '/references/:reference',
    { schema: { tags: ['Payments'], summary: 'A payment reference, with what has been paid with it' } },
    async (request) => {
      need(request, 'r', 'read a payment reference');
      const found = await orm.em
        .fork()
        .findOne(
          PaymentReference,
          { reference: normaliseReference(request.params.reference), deletedAt: null },
          { populate: ['policy'] },
        );
      if (!found) {
        throw new KingaError('payment.reference-unknown', { reference: request.params.reference });
      }
      return referenceView(found, config.CURRENCY);
    },
  );

  app.get<{ Querystring: { policy?: string; status?: string } }>(
    '/references',
    {
      schema: {
        tags: ['Payments'],
        summary: 'Payment references of a policy',
        querystring: Type.Object({
          policy: Type.String({ format: 'uuid' }),
          status: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      need(request, 's', 'search payment references');
      const found = await orm.em.fork().find(
        PaymentReference,
        {
          policy: request.query.policy!,
          deletedAt: null,
          ...(request.query.status ? { status: request.query.status as PaymentReference['status'] } : {}),
        },
        { orderBy: { createdAt: 'desc' }, limit: 100 },
      );
      return { references: found.map((r) => referenceView(r, config.CURRENCY)) };
    },
  );

  app.get<{ Querystring: { status?: string; limit?: number } }>(
    '/exceptions',
    {
      schema: {
        tags: ['Payments'],
        summary: 'Payments that matched no reference or policy, for staff to resolve',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(
              ['unmatched', 'assigned', 'refunded'].map((s) => Type.Literal(s)),
              { default: 'unmatched' },
            ),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
      },
    },
    async (request) => {
      need(request, 'r', 'read payment exceptions');
      const found = await orm.em
        .fork()
        .find(
          PaymentInbox,
          { status: (request.query.status ?? 'unmatched') as PaymentInbox['status'] },
          { orderBy: { receivedAt: 'asc' }, limit: request.query.limit ?? 100 },
        );
      return { exceptions: found.map(exceptionView) };
    },
  );

  const resolve =
    (kind: 'assign' | 'refund') =>
    async (
      request: FastifyRequest<{
        Params: { id: string };
        Body: { reference?: string; amount?: string; note?: string };
      }>,
    ) => {
      need(request, 'u', `${kind} a payment exception`);
      if (!isUuid(request.params.id)) {
        throw new KingaError('payment.exception-not-found', { id: request.params.id });
      }
      return inTransaction(orm.em.fork(), actor(request), async (tx) => {
        const entry = await resolvePaymentException(
          tx,
          request.params.id,
          kind === 'assign'
            ? {
                assign: request.body.reference!,
                ...(request.body.amount ? { amount: request.body.amount } : {}),
              }
            : { refund: request.body.note! },
          { rules, today: todayIn(config.SCHEME_TIME_ZONE), by: request.principal!.clientId },
        );
        await tx.flush();
        return exceptionView(entry);
      });
    };
  app.post(
    '/exceptions/:id/assign',
    {
      schema: {
        tags: ['Payments'],
        summary: 'Assign an unmatched payment to a payment reference: it is allocated to that policy',
        body: AssignBody,
      },
    },
    resolve('assign'),
  );
  app.post(
    '/exceptions/:id/refund',
    {
      schema: {
        tags: ['Payments'],
        summary: 'Record that an unmatched payment was refunded to the payer',
        body: RefundBody,
      },
    },
    resolve('refund'),
  );
}
