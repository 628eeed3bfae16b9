import type { EntityManager } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { Premium } from '../policy/premium.entity.ts';
import type { PaymentProvider } from './payment-event.ts';
import { PaymentInbox } from './payment-inbox.entity.ts';

/** What Kinga holds of one provider transaction: the premium it became, and the callback received. */
export interface KingaSide {
  premium: Premium | null;
  inbox: PaymentInbox | null;
}

/**
 * Kinga's side of each transaction id of a statement. A statement names a payment by the
 * provider's money id, which is either the inbox key (M-Pesa C2B TransID, Airtel id) or, behind a
 * request id, the premium's receipt (an M-Pesa receipt behind an STK CheckoutRequestID, MTN's
 * financialTransactionId behind our X-Reference-Id): both are looked up. A premium recorded by
 * staff for a lost callback (no inbox entry) is found by its receipt too.
 */
export async function kingaSidesOf(
  em: EntityManager,
  provider: PaymentProvider,
  transactionIds: readonly string[],
): Promise<Map<string, KingaSide>> {
  const sides = new Map<string, KingaSide>();
  if (transactionIds.length === 0) {
    return sides;
  }
  const ids = [...transactionIds];
  const entries = await em.find(PaymentInbox, { provider, providerTxnId: { $in: ids } });
  const allocatedTo = entries.flatMap((e) => (e.premiumId ? [e.premiumId] : []));
  const premiums = await em.find(Premium, {
    $or: [{ receipt: { $in: ids } }, ...(allocatedTo.length > 0 ? [{ id: { $in: allocatedTo } }] : [])],
    kind: 'payment',
    deletedAt: null,
  });
  for (const entry of entries) {
    sides.set(entry.providerTxnId, {
      premium: premiums.find((p) => p.id === entry.premiumId) ?? null,
      inbox: entry,
    });
  }
  for (const premium of premiums) {
    const side = sides.get(premium.receipt);
    if (!ids.includes(premium.receipt)) {
      continue;
    }
    if (!side) {
      sides.set(premium.receipt, { premium, inbox: null });
    } else {
      side.premium ??= premium;
    }
  }
  // A callback received under its request id and never allocated is known only by its correlation id.
  const unknown = ids.filter((id) => !sides.has(id));
  if (unknown.length > 0) {
    const correlated = await em.find(PaymentInbox, {
      provider,
      event: { providerCorrelationId: { $in: unknown } },
    });
    for (const entry of correlated) {
      sides.set(entry.event.providerCorrelationId!, { premium: null, inbox: entry });
    }
  }
  return sides;
}

/** A payment Kinga allocated from the provider's callback. */
export interface AllocatedPayment {
  premium: Premium;
  inboxId: string;
}

/**
 * The payments Kinga allocated from `provider`'s callbacks with `date` as payment date, and not
 * reversed since: what the provider's statement of that day should list.
 */
export async function allocatedPaymentsOf(
  em: EntityManager,
  provider: PaymentProvider,
  date: IsoDate,
): Promise<AllocatedPayment[]> {
  const rows: { premium_id: string; inbox_id: string }[] = await em.getConnection().execute(
    `select p.id as premium_id, i.id as inbox_id
       from payment_inbox i
       join premium p on p.id = i.premium_id
      where i.provider = ? and i.status in ('allocated', 'assigned')
        and p.pay_date = ? and p.kind = 'payment' and p.deleted_at is null
        and not exists (select 1 from premium r
                         where r.counterpart_id = p.id and r.kind = 'reversal' and r.deleted_at is null)
      order by p.created_at`,
    [provider, date],
    'all',
    em.getTransactionContext(),
  );
  if (rows.length === 0) {
    return [];
  }
  const premiums = await em.find(Premium, { id: { $in: rows.map((r) => r.premium_id) } });
  return rows.map((row) => ({
    premium: premiums.find((p) => p.id === row.premium_id)!,
    inboxId: row.inbox_id,
  }));
}
