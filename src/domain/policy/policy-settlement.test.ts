import t from 'tap';
import {
  reachedOn,
  settle,
  type LedgerEntry,
  type MemberCover,
  type SettlementInput,
} from './policy-settlement.ts';

// A policy worth 100.00 starting 2024-07-01; two founding members covered once 100.00 is paid.
const founders: MemberCover[] = [
  { coverThreshold: '100.00', startDate: '2024-07-01', effectiveDate: null },
  { coverThreshold: '100.00', startDate: '2024-07-01', effectiveDate: null },
];
const base: SettlementInput = {
  status: 'idle',
  effectiveDate: null,
  startDate: '2024-07-01',
  value: '100.00',
  members: founders,
  ledger: [],
  activation: 'on-payment',
};
const pay = (amount: string, payDate: string): LedgerEntry => ({ amount, payDate });
const coveredFounders = founders.map((m) => ({ ...m, effectiveDate: '2024-07-01' }));

const cases: {
  name: string;
  input: Partial<SettlementInput>;
  status: string;
  effectiveDate: string | null;
  balance: string;
  credit: string;
  members: (string | null)[];
}[] = [
  {
    name: 'nothing paid: idle, the whole value owed',
    input: {},
    status: 'idle',
    effectiveDate: null,
    balance: '100.00',
    credit: '0.00',
    members: [null, null],
  },
  {
    name: 'partial payment: idle with the balance visible',
    input: { ledger: [pay('60.00', '2024-06-10')] }, // 100 − 60
    status: 'idle',
    effectiveDate: null,
    balance: '40.00',
    credit: '0.00',
    members: [null, null],
  },
  {
    name: 'paid in two instalments before the start: active from the start date',
    input: { ledger: [pay('60.00', '2024-06-10'), pay('40.00', '2024-06-20')] },
    // complete on 06-20; later of 06-20 and the start 07-01
    status: 'active',
    effectiveDate: '2024-07-01',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-07-01', '2024-07-01'],
  },
  {
    name: 'paid after the start: active from the payment date',
    input: { ledger: [pay('100.00', '2024-07-15')] },
    status: 'active',
    effectiveDate: '2024-07-15',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-07-15', '2024-07-15'],
  },
  {
    name: 'instalments recorded out of order: complete on the later pay date',
    input: { ledger: [pay('40.00', '2024-07-20'), pay('60.00', '2024-07-05')] },
    status: 'active',
    effectiveDate: '2024-07-20',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-07-20', '2024-07-20'],
  },
  {
    name: 'overpayment: active, the surplus kept as credit',
    input: { ledger: [pay('130.00', '2024-06-10')] }, // 130 − 100
    status: 'active',
    effectiveDate: '2024-07-01',
    balance: '0.00',
    credit: '30.00',
    members: ['2024-07-01', '2024-07-01'],
  },
  {
    name: 'manual activation: paid policies wait, ready',
    input: { ledger: [pay('100.00', '2024-06-10')], activation: 'manual' },
    status: 'ready',
    effectiveDate: null,
    balance: '0.00',
    credit: '0.00',
    members: [null, null],
  },
  {
    name: 'a reversal that uncovers an active policy sends it back to idle',
    input: {
      status: 'active',
      effectiveDate: '2024-07-01',
      members: coveredFounders,
      ledger: [pay('100.00', '2024-06-10'), pay('-100.00', '2024-08-01')],
    },
    status: 'idle',
    effectiveDate: null,
    balance: '100.00',
    credit: '0.00',
    members: [null, null],
  },
  {
    name: 'reversing an overpayment leaves the policy active',
    input: {
      status: 'active',
      effectiveDate: '2024-07-01',
      members: coveredFounders,
      // 100 + 30 − 30 = 100: still covered, no credit left
      ledger: [pay('100.00', '2024-06-10'), pay('30.00', '2024-06-12'), pay('-30.00', '2024-08-01')],
    },
    status: 'active',
    effectiveDate: '2024-07-01',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-07-01', '2024-07-01'],
  },
  {
    name: 'paying again after a reversal activates from the new payment',
    input: {
      ledger: [pay('100.00', '2024-06-10'), pay('-100.00', '2024-08-01'), pay('100.00', '2024-08-05')],
    },
    // the running total fell to 0 on 08-01 and reached 100 again on 08-05
    status: 'active',
    effectiveDate: '2024-08-05',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-08-05', '2024-08-05'],
  },
  {
    name: 'a suspended policy paid in full is reinstated',
    input: { status: 'suspended', ledger: [pay('100.00', '2024-09-10')] },
    status: 'active',
    effectiveDate: '2024-09-10',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-09-10', '2024-09-10'],
  },
  {
    name: 'a suspended policy partly paid stays suspended',
    input: { status: 'suspended', ledger: [pay('50.00', '2024-09-10')] },
    status: 'suspended',
    effectiveDate: null,
    balance: '50.00',
    credit: '0.00',
    members: [null, null],
  },
  {
    name: 'an expired policy keeps its status and dates when refunded',
    input: {
      status: 'expired',
      effectiveDate: '2024-07-01',
      members: coveredFounders,
      ledger: [pay('100.00', '2024-06-10'), pay('-100.00', '2025-08-01')],
    },
    status: 'expired',
    effectiveDate: '2024-07-01',
    balance: '100.00',
    credit: '0.00',
    members: ['2024-07-01', '2024-07-01'],
  },
  {
    name: 'a member who joined an active policy waits for their extra premium',
    input: {
      status: 'active',
      effectiveDate: '2024-07-01',
      value: '130.00',
      members: [
        ...coveredFounders,
        { coverThreshold: '130.00', startDate: '2024-09-01', effectiveDate: null },
      ],
      ledger: [pay('100.00', '2024-06-10')], // 130 − 100 still owed: the newcomer's extra
    },
    status: 'active',
    effectiveDate: '2024-07-01',
    balance: '30.00',
    credit: '0.00',
    members: ['2024-07-01', '2024-07-01', null],
  },
  {
    name: 'the extra premium paid covers the newcomer from that payment',
    input: {
      status: 'active',
      effectiveDate: '2024-07-01',
      value: '130.00',
      members: [
        ...coveredFounders,
        { coverThreshold: '130.00', startDate: '2024-09-01', effectiveDate: null },
      ],
      ledger: [pay('100.00', '2024-06-10'), pay('30.00', '2024-09-20')],
    },
    // later of the policy's 07-01, the payment 09-20 and the join 09-01
    status: 'active',
    effectiveDate: '2024-07-01',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-07-01', '2024-07-01', '2024-09-20'],
  },
  {
    name: 'a credit already paid covers the newcomer from the join date',
    input: {
      status: 'active',
      effectiveDate: '2024-07-01',
      value: '130.00',
      members: [
        ...coveredFounders,
        { coverThreshold: '130.00', startDate: '2024-09-01', effectiveDate: null },
      ],
      ledger: [pay('150.00', '2024-06-10')], // 150 − 130 = 20 credit left
    },
    status: 'active',
    effectiveDate: '2024-07-01',
    balance: '0.00',
    credit: '20.00',
    members: ['2024-07-01', '2024-07-01', '2024-09-01'],
  },
  {
    name: 'a free policy is active from its start',
    input: { value: '0.00', members: founders.map((m) => ({ ...m, coverThreshold: '0.00' })) },
    status: 'active',
    effectiveDate: '2024-07-01',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-07-01', '2024-07-01'],
  },
  {
    name: 'an active policy keeps the date it was activated by hand',
    input: {
      status: 'active',
      effectiveDate: '2024-07-10',
      activation: 'manual',
      ledger: [pay('100.00', '2024-06-10')],
    },
    status: 'active',
    effectiveDate: '2024-07-10',
    balance: '0.00',
    credit: '0.00',
    members: ['2024-07-10', '2024-07-10'],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const result = settle({ ...base, ...c.input });
    t.equal(result.status, c.status, 'status');
    t.equal(result.effectiveDate, c.effectiveDate, 'effective date');
    t.equal(result.balance, c.balance, 'balance');
    t.equal(result.credit, c.credit, 'credit');
    t.same(result.memberEffectiveDates, c.members, 'members');
  });
}

t.test('the day a threshold was reached is the last time the running total rose to it', async (t) => {
  const ledger = [pay('100.00', '2024-06-10'), pay('-100.00', '2024-08-01'), pay('100.00', '2024-08-05')];
  t.same(reachedOn(ledger, '100.00'), { since: '2024-08-05' });
  t.same(reachedOn(ledger, '100.01'), undefined);
  t.same(reachedOn([], '0.00'), { since: null }, 'nothing owed: reached before any payment');
});
