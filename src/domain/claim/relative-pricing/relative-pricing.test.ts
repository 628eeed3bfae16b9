import t from 'tap';
import { multiplyByRatio, ratioOf } from '../../shared/money.ts';
import { allocatedContributions } from './allocated-contributions.ts';
import { monthBefore, parsePeriod, periodsEndingWith, poolsFor } from './pricing-period.ts';
import { relativeIndex } from './relative-index.ts';

t.test('periods are months, quarters and years', async (t) => {
  t.match(parsePeriod('2026-02'), {
    code: '2026-02',
    kind: 'M',
    start: '2026-02-01',
    end: '2026-02-28',
    position: 1,
  });
  t.match(parsePeriod('2024-Q1'), {
    code: '2024Q1',
    kind: 'Q',
    start: '2024-01-01',
    end: '2024-03-31',
    position: 0,
  });
  t.match(parsePeriod('2026Q4'), {
    code: '2026Q4',
    kind: 'Q',
    start: '2026-10-01',
    end: '2026-12-31',
    position: 3,
  });
  t.match(parsePeriod('2026'), { code: '2026', kind: 'Y', start: '2026-01-01', end: '2026-12-31' });
  for (const bad of ['2026-13', '2026-Q5', '26-01', '2026-1', 'last month']) {
    t.equal(parsePeriod(bad), undefined, bad);
  }
  t.equal(monthBefore('2027-01-01').code, '2026-12');
});

t.test('the batch at the end of a month runs the periods that end with it', async (t) => {
  const monthly = {
    relativePricingPeriod: 'M',
    relativePricingPeriodInPatient: null,
    relativePricingPeriodOutPatient: null,
  } as const;
  const quarterly = { ...monthly, relativePricingPeriod: 'Q' } as const;
  const yearly = { ...monthly, relativePricingPeriod: 'Y' } as const;
  const split = {
    relativePricingPeriod: null,
    relativePricingPeriodInPatient: 'M',
    relativePricingPeriodOutPatient: 'Q',
  } as const;
  const codes = (product: Parameters<typeof periodsEndingWith>[0], month: string) =>
    periodsEndingWith(product, parsePeriod(month)!).map((p) => p.code);
  t.same(codes(monthly, '2026-11'), ['2026-11']);
  t.same(codes(quarterly, '2026-11'), [], 'a quarter ends in December');
  t.same(codes(quarterly, '2026-12'), ['2026Q4']);
  t.same(codes(yearly, '2026-12'), ['2026']);
  t.same(codes(split, '2026-12'), ['2026-12', '2026Q4'], 'in-patient monthly, out-patient quarterly');
  t.same(poolsFor(split, 'M'), ['I']);
  t.same(poolsFor({ ...split, relativePricingPeriodOutPatient: 'M' }, 'M'), ['I', 'O']);
  t.same(
    poolsFor({ ...split, relativePricingPeriod: 'M' }, 'M'),
    ['general'],
    'one period wins over the split',
  );
});

t.test('contributions are spread over the days of cover', async (t) => {
  const june = parsePeriod('2025-06')!;
  // 3 650.00 over 365 days is 10.00 a day: June's 30 days earn 300.00.
  t.equal(
    allocatedContributions(
      [{ startDate: '2025-01-01', expiryDate: '2025-12-31', paid: '3650.00' }],
      june,
      '100.00',
    ),
    '300.00',
  );
  // Starting 2025-06-21: 10 of its 365 days in June; 1 000.00 × 10 / 365 = 27.3972… and
  // 1 200.00 × 30 / 366 (2024-03-01..2025-02-28 does not overlap June 2025) = 0.
  t.equal(
    allocatedContributions(
      [
        { startDate: '2025-06-21', expiryDate: '2026-06-20', paid: '1000.00' },
        { startDate: '2024-03-01', expiryDate: '2025-02-28', paid: '1200.00' },
      ],
      june,
      '100.00',
    ),
    '27.40',
  );
  // Two policies earning 27.397… cents each: rounded once, 0.55, not 0.27 + 0.27.
  t.equal(
    allocatedContributions(
      [
        { startDate: '2025-06-30', expiryDate: '2026-06-29', paid: '100.00' },
        { startDate: '2025-06-30', expiryDate: '2026-06-29', paid: '100.00' },
      ],
      june,
      '100.00',
    ),
    '0.55',
  );
  // The distribution's share: 25 % of 300.00.
  t.equal(
    allocatedContributions(
      [{ startDate: '2025-01-01', expiryDate: '2025-12-31', paid: '3650.00' }],
      june,
      '25.00',
    ),
    '75.00',
  );
});

t.test('the index is contributions over nominal, six decimals, at most 1', async (t) => {
  t.equal(relativeIndex('300.00', '360.00'), '0.833333');
  t.equal(relativeIndex('300.00', '400.00'), '0.750000');
  t.equal(relativeIndex('310.00', '100.00'), '1.000000', 'a surplus is not paid out');
  t.equal(relativeIndex('300.00', '0.00'), '1.000000', 'no line: 1');
  t.equal(ratioOf('2.00', '3.00'), '0.666667', 'half up');
  t.equal(multiplyByRatio('200.00', '0.833333'), '166.67');
  t.equal(multiplyByRatio('160.00', '0.833333'), '133.33');
  t.equal(multiplyByRatio('0.01', '0.500000'), '0.01', 'half a cent rounds up');
  t.throws(() => multiplyByRatio('1.00', '-1'), RangeError);
});
