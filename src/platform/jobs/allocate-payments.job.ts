import { policyRulesFrom } from '../../domain/policy/policy-rules.ts';
import { allocateWaitingPayments } from '../../integrations/payments/allocate-inbox.ts';
import { mpesaClientFrom } from '../../integrations/payments/clients/mpesa-client.ts';
import { mtnClientFrom } from '../../integrations/payments/clients/mtn-client.ts';
import { verifyUnsigned } from '../../integrations/payments/verify-unsigned.ts';
import type { Config } from '../config/config.ts';
import { nativePool } from '../database/orm.ts';
import type { ScheduledJob } from './job-service.ts';
import { todayIn } from './scheme-today.ts';

/**
 * Allocates the payments waiting in the inbox: woken by each callback stored (JobService.send,
 * debounced), and every minute as a sweep in case a wake-up was lost. With PAYMENT_VERIFY_UNSIGNED,
 * M-Pesa STK and MTN payments are first confirmed with the provider's status API.
 */
export function allocatePaymentsJob(config: Config): ScheduledJob {
  const rules = policyRulesFrom(config);
  // Built once: the clients keep their OAuth tokens between runs.
  const providers = config.PAYMENT_VERIFY_UNSIGNED
    ? { mtn: mtnClientFrom(config), mpesa: mpesaClientFrom(config) }
    : undefined;
  return {
    name: 'allocate-payments',
    cron: config.ALLOCATE_PAYMENTS_CRON,
    policy: 'stately',
    async run(_data, { orm }) {
      const today = todayIn(config.SCHEME_TIME_ZONE);
      const verify = providers ? verifyUnsigned(providers, await nativePool(orm)) : undefined;
      return allocateWaitingPayments(orm, { rules, today, ...(verify ? { verify } : {}) });
    },
  };
}
