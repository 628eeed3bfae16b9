import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PaymentProviders, type PaymentProvider } from '../../../domain/payment/payment-event.ts';
import {
  PaymentReconciliationLine,
  PaymentReconciliationRun,
} from '../../../domain/payment/payment-reconciliation.entity.ts';
import { reconcileStatement } from '../../../domain/payment/reconcile-statement.ts';
import { isIsoDate } from '../../../domain/shared/dates.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import { isUuid } from '../../../domain/shared/ids.ts';
import type { Authenticator } from '../../../platform/auth/principal.ts';
import { bearerAuthentication, requireScope } from '../../../platform/auth/route-guards.ts';
import type { Permission } from '../../../platform/auth/scopes.ts';
import type { Config } from '../../../platform/config/config.ts';
import { inTransaction } from '../../../platform/database/unit-of-work.ts';
import { readStatement } from './statement-file.ts';

export interface ReconciliationRoutesOptions {
  config: Config;
  orm: MikroORM;
  authenticate: Authenticator;
}

const ImportQuery = Type.Object({
  provider: Type.Union(
    PaymentProviders.map((p) => Type.Literal(p)),
    { description: 'Whose statement it is' },
  ),
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The day the statement covers' }),
});

function runView(run: PaymentReconciliationRun, lines: PaymentReconciliationLine[]) {
  return {
    id: run.id,
    resource: `PaymentReconciliation/${run.id}`,
    provider: run.provider,
    statementDate: run.statementDate,
    status: run.status,
    outcome: run.isComplete() ? 'complete' : 'partial',
    currency: run.currency,
    statementTotal: run.statementTotal,
    counts: {
      statementLines: run.statementLines,
      matched: run.matched,
      amountMismatch: run.amountMismatch,
      unallocated: run.unallocated,
      missingInKinga: run.missingInKinga,
      missingInStatement: run.missingInStatement,
    },
    supersededBy: run.supersededBy ?? null,
    createdBy: run.createdBy,
    createdAt: run.createdAt.toISOString(),
    lines: lines.map((line) => ({
      line: line.fileLine ?? null,
      status: line.status,
      transaction: line.providerTxnId,
      statementAmount: line.statementAmount ?? null,
      statementDate: line.statementDate ?? null,
      reference: line.reference ?? null,
      payer: line.payer ?? null,
      kingaAmount: line.kingaAmount ?? null,
      kingaDate: line.kingaDate ?? null,
      paymentNotice: line.premiumId ?? null,
      policy: line.policyId ?? null,
      inboxEntry: line.inboxId ?? null,
      note: line.note ?? null,
    })),
  };
}

/**
 * Reconciliation of the providers' daily statements (REST, problem+json errors): staff import a
 * statement as CSV and get the run — each line matched, an amount mismatch, unallocated or missing
 * in Kinga, and Kinga's payments the statement left off — also published as a FHIR
 * PaymentReconciliation. Bearer token with PaymentNotice scopes (c to import, r to read).
 */
export async function reconciliationRoutes(
  app: FastifyInstance,
  options: ReconciliationRoutesOptions,
): Promise<void> {
  const { config, orm, authenticate } = options;
  // Only here: the rest of the API speaks JSON.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', bearerAuthentication(authenticate));
  const need = (request: FastifyRequest, permission: Permission, interaction: string) =>
    requireScope(request, 'PaymentNotice', permission, interaction);

  app.post<{ Querystring: { provider: PaymentProvider; date: string }; Body: unknown }>(
    '/reconciliations',
    {
      schema: {
        tags: ['Payments'],
        summary: "Reconcile a provider's statement of one day (CSV)",
        description:
          'The body is the statement as text/csv with a header row: at least a transaction id, an amount and ' +
          'a date column. M-Pesa’s export (Receipt No., Completion Time, Paid In, Withdrawn, A/C No. or ' +
          'Details, Other Party Info, Transaction Status) and a plain transaction_id,amount,date,reference ' +
          'are read as they are. Withdrawals and lines not completed are left out. A line that cannot be ' +
          'read refuses the file (400, naming its line and column) and nothing is stored. Importing the ' +
          'same provider and day again supersedes the earlier run, which is kept.',
        querystring: ImportQuery,
      },
    },
    async (request, reply) => {
      need(request, 'c', 'import a provider statement');
      const type = request.headers['content-type'] ?? '(none)';
      if (typeof request.body !== 'string' || !/^text\/csv\b/i.test(type)) {
        throw new KingaError('payment.statement-media-type', { type });
      }
      const { provider, date } = request.query;
      if (!isIsoDate(date)) {
        throw new KingaError('request.invalid', { detail: `date ${date} is not a calendar date` });
      }
      const lines = readStatement(request.body);
      const context = { actor: request.principal!.clientId, requestId: request.id };
      const view = await inTransaction(orm.em.fork(), context, async (tx) => {
        const result = await reconcileStatement(tx, {
          provider,
          statementDate: date,
          currency: config.CURRENCY,
          lines,
          createdBy: request.principal!.clientId,
          sourceSha256: createHash('sha256')
            .update(request.body as string)
            .digest('hex'),
        });
        await tx.flush();
        return runView(result.run, result.lines);
      });
      return reply
        .code(201)
        .header('Location', `${request.url.split('?')[0]}/${view.id}`)
        .send(view);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/reconciliations/:id',
    { schema: { tags: ['Payments'], summary: 'A reconciliation run, with its lines' } },
    async (request) => {
      need(request, 'r', 'read a reconciliation');
      const em = orm.em.fork();
      const run = isUuid(request.params.id)
        ? await em.findOne(PaymentReconciliationRun, { id: request.params.id, deletedAt: null })
        : null;
      if (!run) {
        throw new KingaError('payment.reconciliation-not-found', { id: request.params.id });
      }
      const lines = await em.find(PaymentReconciliationLine, { run }, { orderBy: { position: 'asc' } });
      return runView(run, lines);
    },
  );
}
