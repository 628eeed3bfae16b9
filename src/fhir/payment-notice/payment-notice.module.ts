import type { PaymentNotice } from '@medplum/fhirtypes';
import { awaitsClearing, clearedPremiums } from '../../domain/payment/premium-clearing.ts';
import { reversalsOf } from '../../domain/policy/held-books.ts';
import { policyRulesFrom } from '../../domain/policy/policy-rules.ts';
import { Premium } from '../../domain/policy/premium.entity.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';
import type { MappingContext, ResourceModule } from '../core/resource-module.ts';
import {
  PAYMENT_NOTICE_PROFILE,
  paymentNoticeFieldPaths,
  paymentNoticeToInput,
  premiumToPaymentNotice,
  type PaymentNoticeInput,
} from './payment-notice.mapper.ts';
import { paymentNoticeSearchParams } from './payment-notice.search.ts';
import { recordNotice, reviseNotice } from './premium-notices.ts';
import { schemeInsurerOnce } from '../shared/scheme-insurer.ts';

/**
 * PaymentNotice ⇄ premium ledger entry. POST records a premium (receipt unique per product, 409
 * otherwise) and allocates it: the policy's Contract and Coverages are published again with it.
 * PUT with status cancelled reverses a payment; nothing is ever deleted. A reversal touches the
 * payment it compensates, so the payment is published again as cancelled.
 */
export function paymentNoticeModule(
  mapping: MappingContext,
): ResourceModule<Premium, PaymentNoticeInput, PaymentNotice> {
  const rules = policyRulesFrom(mapping.config);
  return {
    type: 'PaymentNotice',
    writesRefused: 'a recorded premium is never deleted: reverse it by setting its status to cancelled',
    profile: PAYMENT_NOTICE_PROFILE,
    entity: Premium,
    table: { table: 'premium', live: 't.deleted_at is null' },
    searchParams: paymentNoticeSearchParams(),
    fieldPaths: paymentNoticeFieldPaths,
    populate: ['policy'],
    projector: {
      resourceType: 'PaymentNotice',
      entity: Premium,
      async render(em, premiums) {
        if (premiums.length === 0) {
          return new Map();
        }
        const reversals = await reversalsOf(em, premiums);
        const insurer = await schemeInsurerOnce(em);
        // A run that clears a premium touches it (reconcile-statement.ts), so a premium at its
        // first version (a payment being allocated) was never cleared: no need to ask.
        const cleared = await clearedPremiums(
          em,
          premiums.filter((p) => awaitsClearing(p) && p.version > 1).map((p) => p.id),
        );
        return new Map(
          premiums.map((premium) => [
            premium,
            premiumToPaymentNotice(
              {
                premium,
                reversal: reversals.find((r) => r.counterpart?.id === premium.id),
                insurer,
                paymentStatus: awaitsClearing(premium) && !cleared.has(premium.id) ? 'paid' : 'cleared',
              },
              mapping,
            ),
          ]),
        );
      },
    },
    toInput: (notice, context) => paymentNoticeToInput(notice, context),
    create: (em, input) => recordNotice(em, input, rules),
    update: (em, premium, input, expectedVersion) =>
      reviseNotice(em, premium, input, expectedVersion, rules, todayIn(mapping.config.SCHEME_TIME_ZONE)),
  };
}
