import type { PaymentReconciliation } from '@medplum/fhirtypes';
import {
  PaymentReconciliationLine,
  PaymentReconciliationRun,
} from '../../domain/payment/payment-reconciliation.entity.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import {
  PAYMENT_RECONCILIATION_PROFILE,
  runToPaymentReconciliation,
} from './payment-reconciliation.mapper.ts';
import { paymentReconciliationSearchParams } from './payment-reconciliation.search.ts';
import { schemeInsurerOnce } from '../shared/scheme-insurer.ts';

/**
 * PaymentReconciliation ← reconciliation run, read-only: a run is made by importing a provider's
 * statement (POST /payments/reconciliations, text/csv), and superseded by importing the same
 * statement again, which publishes it once more as cancelled.
 */
export function paymentReconciliationModule(): ResourceModule<
  PaymentReconciliationRun,
  never,
  PaymentReconciliation
> {
  return {
    type: 'PaymentReconciliation',
    writesRefused:
      "a reconciliation is the result of importing a provider's statement: POST it as text/csv to /payments/reconciliations",
    profile: PAYMENT_RECONCILIATION_PROFILE,
    entity: PaymentReconciliationRun,
    table: { table: 'payment_reconciliation_run', live: 't.deleted_at is null' },
    searchParams: paymentReconciliationSearchParams(),
    fieldPaths: {},
    projector: {
      resourceType: 'PaymentReconciliation',
      entity: PaymentReconciliationRun,
      async render(em, runs) {
        if (runs.length === 0) {
          return new Map();
        }
        const lines = await em.find(
          PaymentReconciliationLine,
          { run: { $in: runs.map((r) => r.id) } },
          { orderBy: { position: 'asc' } },
        );
        const insurer = await schemeInsurerOnce(em);
        return new Map(
          runs.map((run) => [
            run,
            runToPaymentReconciliation({
              run,
              lines: lines.filter((l) => l.run.id === run.id),
              insurer,
            }),
          ]),
        );
      },
    },
  };
}
