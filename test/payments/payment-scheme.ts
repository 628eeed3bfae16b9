/**
 * A scheme for the payment tests: an enrolled family with an idle policy of 100.00 (2 adults ×
 * 40.00 + 1 child × 20.00, starting 2024-06-01) and a payment reference for it.
 */
import type { FastifyInstance } from 'fastify';
import type { KingaDatabase } from '../../src/app.ts';
import { issuePaymentReference } from '../../src/domain/payment/issue-payment-reference.ts';
import { enrolFamily } from '../../src/domain/policy/enrol-family.ts';
import { policyRulesFrom } from '../../src/domain/policy/policy-rules.ts';
import { allocateWaitingPayments } from '../../src/integrations/payments/allocate-inbox.ts';
import { testConfig, unique } from '../helpers/test-app.ts';
import { makeFamily, makePlaces, makeProduct, write } from '../policy/scheme-fixtures.ts';

export const rules = policyRulesFrom(testConfig());

/** Callback secrets the payment tests configure (at least 16 characters). */
export const SECRETS = {
  MPESA_CALLBACK_SECRET: 'mpesa-path-secret-0123456789',
  MTN_CALLBACK_SECRET: 'mtn-path-secret-0123456789ab',
  AIRTEL_CALLBACK_SECRET: 'airtel-path-secret-012345678',
};

export interface PolicyToPay {
  policyId: string;
  productCode: string;
  reference: string;
  insuranceNumber: string;
}

/** An idle policy of 100.00 and its open payment reference. */
export async function policyToPay(db: KingaDatabase): Promise<PolicyToPay> {
  return write(db, async (tx) => {
    const { village } = makePlaces(tx);
    const product = makeProduct(tx, {
      code: unique('P').slice(0, 20),
      premiumAdult: '40.00',
      premiumChild: '20.00',
    });
    const { family, members } = makeFamily(tx, village, [
      { birthDate: '1980-01-01' },
      { birthDate: '1982-01-01' },
      { birthDate: '2015-01-01' },
    ]);
    await tx.flush();
    const { policy } = await enrolFamily(
      tx,
      { familyId: family.id, productId: product.id, enrolDate: '2024-06-01' },
      rules,
    );
    await tx.flush();
    const reference = await issuePaymentReference(tx, { policyId: policy.id }, rules);
    return {
      policyId: policy.id,
      productCode: product.code,
      reference: reference.reference,
      insuranceNumber: members[0]!.insuranceNumber,
    };
  });
}

/** Runs the allocation job's work once, as the queue would. */
export function allocateNow(db: KingaDatabase) {
  return allocateWaitingPayments(db.orm, { rules, today: '2024-06-10' });
}

/**
 * A Daraja C2B confirmation body (fixture shape, integrations.md §5.1): `amount` paid to
 * `billRef` at `transTime` (Daraja's yyyyMMddHHmmss, East Africa Time).
 */
export function mpesaC2b(transId: string, billRef: string, amount: string, transTime = '20240605063845') {
  return {
    TransactionType: 'Pay Bill',
    TransID: transId,
    TransTime: transTime,
    TransAmount: amount,
    BusinessShortCode: '600638',
    BillRefNumber: billRef,
    InvoiceNumber: '',
    OrgAccountBalance: '',
    ThirdPartyTransID: '',
    MSISDN: '25470****149',
    FirstName: 'John',
    MiddleName: '',
    LastName: 'Doe',
  };
}

/** Posts an M-Pesa C2B confirmation as Daraja does (SECRETS' path secret). */
export function postMpesaConfirmation(app: FastifyInstance, body: object) {
  return app.inject({
    method: 'POST',
    url: `/payments/mpesa/${SECRETS.MPESA_CALLBACK_SECRET}/c2b/confirmation`,
    headers: { 'content-type': 'application/json' },
    payload: body,
  });
}
