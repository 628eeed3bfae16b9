/**
 * The scheduled sweeps, as use cases and as jobs on the pg-boss queue. A sweep acts on every
 * policy of the database for its `today`, so this file works in the 1970s, where no other test
 * file has policies, and its subtests run one after the other with growing dates.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import t from 'tap';
import { enrolFamily } from '../../src/domain/policy/enrol-family.ts';
import { expirePolicies } from '../../src/domain/policy/expire-policies.ts';
import { promptRenewals } from '../../src/domain/policy/prompt-renewals.ts';
import { recordPremium } from '../../src/domain/policy/record-premium.ts';
import { renewPolicy } from '../../src/domain/policy/renew-policy.ts';
import { RenewalPrompt } from '../../src/domain/policy/renewal-prompt.entity.ts';
import { suspendUnpaidPolicies } from '../../src/domain/policy/suspend-unpaid-policies.ts';
import type { Officer } from '../../src/domain/officer/officer.entity.ts';
import type { Product } from '../../src/domain/product/product.entity.ts';
import { JobService } from '../../src/platform/jobs/job-service.ts';
import { schemeJobs } from '../../src/platform/jobs/scheme-jobs.ts';
import { testConfig, unique } from '../helpers/test-app.ts';
import {
  loadPolicy,
  makeFamily,
  makeOfficer,
  makePlaces,
  makeProduct,
  onPayment,
  openTestDatabase,
  reader,
  write,
} from './scheme-fixtures.ts';

const db = await openTestDatabase(t);
const { village } = await write(db, async (tx) => makePlaces(tx));
const perHead = await write(db, async (tx) =>
  makeProduct(tx, { premiumAdult: '50.00', gracePeriodPaymentMonths: 1 }),
);

/** One adult (value 50.00) enrolled on `enrolDate` (free enrolment: starts that day), paid `paid`. */
async function policy(
  enrolDate: string,
  paid: string | null,
  options: { product?: Product; officer?: Officer } = {},
): Promise<string> {
  return write(db, async (tx) => {
    const { family } = makeFamily(tx, village, [{ birthDate: '1940-01-01' }]);
    await tx.flush();
    const enrolment = await enrolFamily(
      tx,
      {
        familyId: family.id,
        productId: (options.product ?? perHead).id,
        officerId: options.officer?.id ?? null,
        enrolDate,
      },
      onPayment,
    );
    if (paid) {
      await recordPremium(
        tx,
        {
          policyId: enrolment.policy.id,
          amount: paid,
          payDate: enrolDate,
          payType: 'C',
          receipt: unique('R'),
        },
        onPayment,
      );
    }
    return enrolment.policy.id;
  });
}

const status = async (id: string) => (await loadPolicy(db, id)).status;

t.test('policies past their expiry date expire, in batches', async (t) => {
  const lapsing = await policy('1970-07-01', '50.00'); // expires 1971-06-30
  const running = await policy('1970-07-15', null); // expires 1971-07-14
  await write(db, (tx) => expirePolicies(tx, '1971-07-01'));
  t.equal(await status(lapsing), 'expired');
  t.equal(await status(running), 'idle', 'its last day is still to come');

  const first = await write(db, (tx) => expirePolicies(tx, '1971-07-15', { limit: 1 }));
  t.match(first, { count: 1, done: false, policyIds: [running] }, 'a full batch: maybe more');
  const second = await write(db, (tx) => expirePolicies(tx, '1971-07-15', { limit: 1 }));
  t.match(second, { count: 0, done: true });
  t.equal(await status(running), 'expired');
});

t.test(
  'unpaid policies are suspended after the payment grace period, and reinstated when paid',
  async (t) => {
    // started 1972-01-15; one month of grace: the last day to pay is 1972-02-15
    const unpaid = await policy('1972-01-15', null);
    const partlyPaid = await policy('1972-01-15', null);
    await write(db, (tx) =>
      recordPremium(
        tx,
        { policyId: partlyPaid, amount: '20.00', payDate: '1972-01-20', payType: 'C', receipt: unique('R') },
        onPayment,
      ),
    );
    const paid = await policy('1972-01-15', '50.00');

    await write(db, (tx) => suspendUnpaidPolicies(tx, '1972-02-15'));
    t.same(
      [await status(unpaid), await status(partlyPaid)],
      ['idle', 'idle'],
      'still within the grace period',
    );
    await write(db, (tx) => suspendUnpaidPolicies(tx, '1972-02-16'));
    t.same(
      [await status(unpaid), await status(partlyPaid), await status(paid)],
      ['suspended', 'suspended', 'active'],
    );

    const reinstated = await write(db, (tx) =>
      recordPremium(
        tx,
        { policyId: partlyPaid, amount: '30.00', payDate: '1972-03-01', payType: 'C', receipt: unique('R') },
        onPayment,
      ),
    );
    // 20 + 30 = 50: paid in full on 1972-03-01
    t.match(reinstated, {
      previousStatus: 'suspended',
      settlement: { status: 'active', effectiveDate: '1972-03-01' },
    });
  },
);

t.test('renewals are prompted along the conversion and substitute chains', async (t) => {
  const setting = await write(db, async (tx) => {
    const replacement = makeProduct(tx, { dateFrom: '1972-01-01', premiumAdult: '60.00' });
    const retiring = makeProduct(tx, {
      dateTo: '1973-06-30',
      premiumAdult: '50.00',
      conversionProduct: replacement,
    });
    const substitute = makeOfficer(tx);
    const leaving = makeOfficer(tx, { worksTo: '1973-05-01', substitute });
    return { replacement, retiring, substitute, leaving };
  });
  // all enrolled 1972-07-01 (expiring 1973-06-30) but the last, expiring 1973-07-30
  const replaced = await policy('1972-07-01', '50.00', {
    product: setting.retiring,
    officer: setting.leaving,
  });
  const orphan = await policy('1972-07-01', '60.00', { product: setting.replacement });
  const idle = await policy('1972-07-01', null, { product: setting.replacement });
  const later = await policy('1972-07-31', '60.00', {
    product: setting.replacement,
    officer: setting.substitute,
  });

  // 14 days from 1973-06-20: policies expiring up to 1973-07-04
  await write(db, (tx) => promptRenewals(tx, '1973-06-20', 14));
  const promptOf = (policyId: string) =>
    reader(db).find(RenewalPrompt, { policy: policyId }, { populate: ['product', 'officer'] });

  const [prompt] = await promptOf(replaced);
  t.ok(prompt, 'prompted');
  t.equal(prompt!.product.id, setting.replacement.id, 'under the conversion product');
  t.equal(prompt!.officer?.id, setting.substitute.id, "to the leaving officer's substitute");
  t.same(prompt!.warnings, ['product-replaced', 'officer-replaced']);
  t.match(prompt, { promptDate: '1973-06-20', status: 'pending' });

  const [orphanPrompt] = await promptOf(orphan);
  t.same(orphanPrompt!.warnings, ['no-officer']);
  t.equal(orphanPrompt!.officer, null);
  t.same(await promptOf(idle), [], 'an unpaid policy is not prompted');
  t.same(await promptOf(later), [], 'not yet within the window');

  await write(db, (tx) => promptRenewals(tx, '1973-06-21', 14));
  t.equal((await promptOf(replaced)).length, 1, 'prompted once');

  await write(db, (tx) => renewPolicy(tx, { policyId: replaced, renewalDate: '1973-06-25' }, onPayment));
  t.equal((await promptOf(replaced))[0]!.status, 'renewed');
});

t.test('the jobs run on the pg-boss queue against the database', async (t) => {
  const config = testConfig();
  const jobs = new JobService({
    url: config.DATABASE_URL!,
    timeZone: 'UTC',
    jobs: schemeJobs(config),
    context: { orm: db.orm, log: pino({ level: 'silent' }) },
    // No cron here: a schedule firing during a test run would sweep every test's policies.
    schedule: false,
  });
  await jobs.start();
  t.teardown(() => jobs.stop());

  async function run(name: string, data: object) {
    const id = await jobs.send(name, data);
    t.ok(id, `${name} queued`);
    for (let i = 0; i < 120; i += 1) {
      const job = await jobs.find(name, id!);
      if (job && (job.state === 'completed' || job.state === 'failed')) {
        return job;
      }
      await sleep(250);
    }
    throw new Error(`${name} did not finish`);
  }

  const lapsing = await policy('1974-04-01', '50.00'); // expires 1975-03-31
  const expired = await run('expire-policies', { today: '1975-04-01' });
  t.equal(expired.state, 'completed');
  t.match(expired.output, { today: '1975-04-01' });
  t.equal(await status(lapsing), 'expired', 'the worker changed the policy');

  const renewable = await policy('1974-05-01', '50.00'); // expires 1975-04-30
  const prompted = await run('prompt-renewals', { today: '1975-04-20' });
  t.equal(prompted.state, 'completed');
  t.equal(await reader(db).count(RenewalPrompt, { policy: renewable }), 1, 'prompted 10 days before expiry');
});
