import type { EntityManager } from '@mikro-orm/core';
import type { Premium } from '../policy/premium.entity.ts';

/**
 * A mobile-money payment is paid (the payer sent it, the provider told us) until a provider's
 * statement shows it: then it is cleared (received by the scheme). Cash, bank and funding
 * receipts, reversals and credit transfers were received when recorded.
 */
export function awaitsClearing(premium: Pick<Premium, 'kind' | 'payType'>): boolean {
  return premium.kind === 'payment' && premium.payType === 'M';
}

/** SQL (premium aliased `alias`): whether a current reconciliation run matched the premium. */
export function clearedSql(alias: string): string {
  return `exists (select 1 from payment_reconciliation_line l
                   join payment_reconciliation_run r on r.id = l.run_id
                  where l.premium_id = ${alias}.id and l.status = 'matched'
                    and r.status = 'current' and r.deleted_at is null)`;
}

/** Of `premiumIds`, those a current reconciliation run matched. */
export async function clearedPremiums(
  em: EntityManager,
  premiumIds: readonly string[],
): Promise<Set<string>> {
  if (premiumIds.length === 0) {
    return new Set();
  }
  const rows: { id: string }[] = await em
    .getConnection()
    .execute(
      `select p.id from premium p where p.id = any(?::uuid[]) and ${clearedSql('p')}`,
      [`{${premiumIds.join(',')}}`],
      'all',
      em.getTransactionContext(),
    );
  return new Set(rows.map((r) => r.id));
}
