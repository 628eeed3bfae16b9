import t from 'tap';
import {
  isAdultOn,
  paymentDeadline,
  policyExpiryDate,
  policyStartDate,
  type PeriodTerms,
  type StartRequest,
} from './policy-dates.ts';

const free: PeriodTerms = {
  insurancePeriodMonths: 12,
  administrationPeriodMonths: 0,
  startCycles: [],
  gracePeriodEnrolmentMonths: 0,
  gracePeriodRenewalMonths: 0,
  gracePeriodPaymentMonths: 0,
};
const cycles: PeriodTerms = {
  ...free,
  startCycles: ['01-01', '01-07'],
  gracePeriodEnrolmentMonths: 1,
  gracePeriodRenewalMonths: 2,
};

const cases: { name: string; terms: PeriodTerms; request: StartRequest; start: string; expiry: string }[] = [
  {
    name: 'free enrolment starts on the enrolment date',
    terms: free,
    request: { stage: 'N', enrolDate: '2024-03-15' },
    // expiry: 2024-03-15 + 12 months = 2025-03-15, − 1 day
    start: '2024-03-15',
    expiry: '2025-03-14',
  },
  {
    name: 'free enrolment after a one-month administration period',
    terms: { ...free, administrationPeriodMonths: 1 },
    request: { stage: 'N', enrolDate: '2024-03-15' },
    start: '2024-04-15',
    expiry: '2025-04-14',
  },
  {
    name: 'administration period ending past a short month is clamped',
    terms: { ...free, administrationPeriodMonths: 1 },
    request: { stage: 'N', enrolDate: '2024-01-31' },
    // 2024-01-31 + 1 month = 2024-02-29; + 12 months = 2025-02-28, − 1 day
    start: '2024-02-29',
    expiry: '2025-02-27',
  },
  {
    name: 'a renewal continues the cover it renews, without administration period',
    terms: { ...free, administrationPeriodMonths: 1 },
    request: { stage: 'R', enrolDate: '2024-12-10', previousExpiryDate: '2024-12-31' },
    start: '2025-01-01',
    expiry: '2025-12-31',
  },
  {
    name: 'a late renewal starts on its renewal date (no backdated cover)',
    terms: free,
    request: { stage: 'R', enrolDate: '2025-02-10', previousExpiryDate: '2024-12-31' },
    start: '2025-02-10',
    expiry: '2026-02-09',
  },
  {
    name: 'cycles: enrolled within the enrolment grace, attached to the cycle just begun',
    terms: cycles,
    // earliest = 2024-01-20 − 1 month = 2023-12-20; no 2023 cycle on or after it → first 2024 cycle
    request: { stage: 'N', enrolDate: '2024-01-20' },
    start: '2024-01-01',
    expiry: '2024-12-31',
  },
  {
    name: 'cycles: the grace boundary is inclusive',
    terms: cycles,
    // earliest = 2024-02-01 − 1 month = 2024-01-01 ≤ 2024-01-01
    request: { stage: 'N', enrolDate: '2024-02-01' },
    start: '2024-01-01',
    expiry: '2024-12-31',
  },
  {
    name: 'cycles: enrolled after the grace, waits for the next cycle',
    terms: cycles,
    // earliest = 2024-02-05 − 1 month = 2024-01-05 > 2024-01-01 → 2024-07-01
    request: { stage: 'N', enrolDate: '2024-02-05' },
    start: '2024-07-01',
    expiry: '2025-06-30',
  },
  {
    name: 'cycles after an administration period',
    terms: { ...cycles, administrationPeriodMonths: 1 },
    // reference 2024-06-20, earliest 2024-05-20 → 2024-07-01
    request: { stage: 'N', enrolDate: '2024-05-20' },
    start: '2024-07-01',
    expiry: '2025-06-30',
  },
  {
    name: 'cycles: a late renewal within the renewal grace keeps the cycle',
    terms: cycles,
    // reference = later of 2025-01-01 and 2025-02-15; earliest 2024-12-15 → next year's first: 2025-01-01
    request: { stage: 'R', enrolDate: '2025-02-15', previousExpiryDate: '2024-12-31' },
    start: '2025-01-01',
    expiry: '2025-12-31',
  },
  {
    name: 'cycles: an early renewal starts at the end of the old cover',
    terms: cycles,
    // reference 2025-01-01, earliest 2024-11-01 → no later 2024 cycle → 2025-01-01
    request: { stage: 'R', enrolDate: '2024-11-01', previousExpiryDate: '2024-12-31' },
    start: '2025-01-01',
    expiry: '2025-12-31',
  },
  {
    name: 'cycles not listed in calendar order: the earliest next one (openIMIS takes October)',
    terms: { ...free, startCycles: ['01-10', '01-04'] },
    // openIMIS tries start_cycle_1 first: 2024-10-01 ≥ 2024-02-10, so October. April comes first.
    request: { stage: 'N', enrolDate: '2024-02-10' },
    start: '2024-04-01',
    expiry: '2025-03-31',
  },
  {
    name: "cycles not in order, past this year's: next year's earliest (openIMIS: start_cycle_1, October)",
    terms: { ...free, startCycles: ['01-10', '01-04'] },
    request: { stage: 'N', enrolDate: '2024-11-15' },
    start: '2025-04-01',
    expiry: '2026-03-31',
  },
  {
    name: 'a 29-02 cycle falls on 28 February in a common year',
    terms: { ...free, startCycles: ['29-02'], insurancePeriodMonths: 6 },
    // 2025-02-28 + 6 months = 2025-08-28, − 1 day
    request: { stage: 'N', enrolDate: '2025-01-10' },
    start: '2025-02-28',
    expiry: '2025-08-27',
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const start = policyStartDate(c.terms, c.request);
    t.equal(start, c.start, 'start');
    t.equal(policyExpiryDate(c.terms, start), c.expiry, 'expiry');
  });
}

t.test('the payment deadline counts the grace months from the start date', async (t) => {
  t.equal(paymentDeadline({ gracePeriodPaymentMonths: 0 }, '2024-07-01'), '2024-07-01');
  t.equal(paymentDeadline({ gracePeriodPaymentMonths: 2 }, '2024-12-31'), '2025-02-28');
});

t.test('majority is reached on the birthday', async (t) => {
  t.ok(isAdultOn('2006-03-15', '2024-03-15', 18), '18 on the day');
  t.notOk(isAdultOn('2006-03-15', '2024-03-14', 18), 'the day before');
  t.ok(isAdultOn('2004-02-29', '2022-02-28', 18), 'born on 29 February: of age on 28 February');
  t.notOk(isAdultOn('2006-03-15', '2024-03-15', 21), 'the age of majority is a setting');
  t.ok(isAdultOn(null, '2024-03-15', 18), 'an unknown birth date pays as an adult');
});
