import type { PaymentEvent } from '../../../domain/payment/payment-event.ts';
import { isReferenceNumber, normaliseReference } from '../../../domain/payment/payment-reference-number.ts';
import { KingaError } from '../../../domain/shared/errors.ts';
import { newId } from '../../../domain/shared/ids.ts';
import { compareMoney, normaliseMoney, ZERO } from '../../../domain/shared/money.ts';
import type { Config } from '../../../platform/config/config.ts';
import type { Callback, ProviderEndpoint } from '../provider-adapter.ts';
import { assertFspiopSignature } from './fspiop-signature.ts';
import { ilpTransaction, type ExtensionList, type IlpTransaction } from './ilp-transaction.ts';

/** POST /transfers (API Definition v1.1 §6.7.3.2, Listing 47). */
interface TransferPrepare {
  transferId?: string;
  payerFsp?: string;
  payeeFsp?: string;
  amount?: { amount?: string; currency?: string };
  ilpPacket?: string;
  extensionList?: ExtensionList;
}

/** PUT /transfers/{ID} (Listing 50) and PUT /transfers/{ID}/error. */
interface TransferCallback {
  completedTimestamp?: string;
  transferState?: string;
  errorInformation?: { errorCode?: string; errorDescription?: string };
}

const TRANSFER_ID = /^[\w-]{1,100}$/;
/** FSPIOP amounts have up to 4 decimals; a premium is money with 2 at most. */
const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;

function malformed(detail: string): KingaError {
  return new KingaError('payment.callback-malformed', { detail });
}

/** Where a payer's FSP lets our reference travel (integrations.md §5.5): extensions, the note, the payee's sub-id or id. */
function referenceOf(prepare: TransferPrepare, transaction: IlpTransaction | undefined): string {
  const values = (list: ExtensionList | undefined) => (list?.extension ?? []).map((e) => e.value);
  const candidates = [
    ...values(prepare.extensionList),
    transaction?.note,
    transaction?.payee?.partyIdInfo?.partySubIdOrType,
    ...values(transaction?.extensionList),
    transaction?.payee?.partyIdInfo?.partyIdentifier,
  ];
  for (const text of candidates) {
    // A note is free text ("premium 1234 5678 9012"): any 12 digits with valid check digits.
    for (const found of typeof text === 'string' ? (text.match(/\d(?:[\s-]?\d){11}/g) ?? []) : []) {
      if (isReferenceNumber(found)) {
        return normaliseReference(found);
      }
    }
  }
  // None: the payment is still recorded, and becomes an exception for staff once committed.
  return '';
}

/**
 * The transfer prepare, addressed to Kinga as payee: amount and reference are kept as a
 * PaymentRequest (the callbacks that follow, PUT /transfers/{ID}, carry neither; allocation finds
 * them there by transferId). Not an inbox row: no money has moved yet, and the inbox holds one row
 * per transferId, which belongs to the outcome. A resent prepare with the same terms is answered
 * again; with other terms it is refused (§3.2.5, error 3106 "Modified request").
 */
async function prepare(callback: Callback, config: Config) {
  const body = callback.body as TransferPrepare | null;
  const transferId = body?.transferId;
  if (!body || typeof transferId !== 'string' || !TRANSFER_ID.test(transferId)) {
    throw malformed('transferId is required');
  }
  const amount = body.amount?.amount;
  const currency = body.amount?.currency;
  if (typeof amount !== 'string' || !AMOUNT.test(amount) || compareMoney(amount, ZERO) <= 0) {
    throw malformed(`the amount ${String(amount)} is not a positive amount with at most 2 decimals`);
  }
  if (currency !== config.CURRENCY) {
    throw malformed(`the currency ${String(currency)} is not the scheme's (${config.CURRENCY})`);
  }
  const transaction = ilpTransaction(body.ilpPacket);
  const reference = referenceOf(body, transaction);
  const payer = String(transaction?.payer?.partyIdInfo?.partyIdentifier ?? body.payerFsp ?? '').slice(0, 50);
  const pool = callback.request.server.kinga.database.pool;
  const inserted = await pool.query(
    `insert into payment_request (id, provider, provider_request_id, reference, amount, currency, payer, status, created_at)
     values ($1, 'mojaloop', $2, $3, $4, $5, $6, 'pending', now())
     on conflict (provider, provider_request_id) do nothing`,
    [newId(), transferId, reference, normaliseMoney(amount), currency, payer],
  );
  if (!inserted.rowCount) {
    const earlier = await pool.query<{ amount: string; reference: string }>(
      `select amount::text, reference from payment_request where provider = 'mojaloop' and provider_request_id = $1`,
      [transferId],
    );
    const row = earlier.rows[0];
    if (!row || row.amount !== normaliseMoney(amount) || row.reference !== reference) {
      throw malformed(`transfer ${transferId} was prepared with other terms (FSPIOP 3106 Modified request)`);
    }
  }
  return { status: 202 };
}

/** The date of an FSPIOP DateTime, as written (the payer's local day). */
function dateOf(timestamp: unknown): string | undefined {
  return typeof timestamp === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(timestamp)
    ? timestamp.slice(0, 10)
    : undefined;
}

function transferIdOf(callback: Callback): string {
  const id = callback.request.params['transferId'] ?? '';
  if (!TRANSFER_ID.test(id)) {
    throw malformed('the transferId in the path is not one');
  }
  return id;
}

function callbackBody(callback: Callback): TransferCallback {
  const body = callback.body as TransferCallback | null;
  if (!body || typeof body !== 'object') {
    throw malformed('the body is not an object');
  }
  return body;
}

/** COMMITTED: the money is Kinga's; ABORTED: it is not. RECEIVED and RESERVED are on the way: no event. */
const outcomes: Record<string, PaymentEvent['status']> = { COMMITTED: 'completed', ABORTED: 'failed' };

/** Mojaloop endpoints (integrations.md §5.4), every request verified by its FSPIOP-Signature. */
export function mojaloopEndpoints(config: Config): ProviderEndpoint[] {
  const common = { provider: 'mojaloop' as const, authenticate: assertFspiopSignature };
  return [
    {
      ...common,
      method: 'POST',
      url: '/mojaloop/transfers',
      summary: 'Mojaloop FSPIOP transfer prepare to Kinga as payee (answered 202)',
      events: () => [],
      reply: () => ({ status: 202 }),
      answer: (callback) => prepare(callback, config),
    },
    {
      ...common,
      method: 'PUT',
      url: '/mojaloop/transfers/:transferId',
      summary: 'Mojaloop FSPIOP transfer callback: COMMITTED or ABORTED',
      events(callback) {
        const body = callbackBody(callback);
        const status = outcomes[body.transferState ?? ''];
        if (!status) {
          return [];
        }
        const occurredAt = dateOf(body.completedTimestamp);
        const event: PaymentEvent = {
          provider: 'mojaloop',
          providerTxnId: transferIdOf(callback),
          status,
          ...(occurredAt ? { occurredAt } : {}),
          ...(status === 'failed' ? { statusReason: 'the transfer was aborted' } : {}),
        };
        return [event];
      },
      reply: () => ({ status: 200 }),
    },
    {
      ...common,
      method: 'PUT',
      url: '/mojaloop/transfers/:transferId/error',
      summary: 'Mojaloop FSPIOP transfer error callback: the transfer failed',
      events(callback) {
        const { errorInformation } = callbackBody(callback);
        const reason = [errorInformation?.errorCode, errorInformation?.errorDescription]
          .filter(Boolean)
          .join(' ');
        return [
          {
            provider: 'mojaloop',
            providerTxnId: transferIdOf(callback),
            status: 'failed',
            statusReason: reason || 'the transfer failed',
          },
        ];
      },
      reply: () => ({ status: 200 }),
    },
  ];
}
