import t from 'tap';
import { parsePeriod, periodOf } from './periods.ts';

t.test('DHIS2 periods as days (integrations.md §1.3)', async (t) => {
  t.match(parsePeriod('20261130'), {
    type: 'daily',
    start: '2026-11-30',
    end: '2026-11-30',
    adx: '2026-11-30/P1D',
  });
  t.match(parsePeriod('2026W48'), {
    type: 'weekly',
    start: '2026-11-23',
    end: '2026-11-29',
    adx: '2026-11-23/P7D',
  });
  t.match(parsePeriod('202611'), {
    type: 'monthly',
    start: '2026-11-01',
    end: '2026-11-30',
    adx: '2026-11-01/P1M',
  });
  t.match(parsePeriod('202402'), { end: '2024-02-29' }, 'leap February');
  t.match(parsePeriod('2026Q4'), {
    type: 'quarterly',
    start: '2026-10-01',
    end: '2026-12-31',
    adx: '2026-10-01/P3M',
  });
  t.match(parsePeriod('2026'), {
    type: 'yearly',
    start: '2026-01-01',
    end: '2026-12-31',
    adx: '2026-01-01/P1Y',
  });
  // ISO weeks: 2020 and 2026 have 53 (they start on a Thursday or are leap years starting Wednesday); 2021 has 52.
  t.match(parsePeriod('2020W53'), { start: '2020-12-28', end: '2021-01-03' });
  t.match(parsePeriod('2026W1'), { start: '2025-12-29' }, 'week 1 holds 4 January');
  t.match(parsePeriod('2026W53'), { start: '2026-12-28', end: '2027-01-03' });
  for (const bad of ['2021W53', '202613', '20260230', '2026Q5', '26', '2026-11', 'x']) {
    t.throws(() => parsePeriod(bad), { code: 'indicator.period-invalid' }, bad);
  }
});

t.test('the period of a day', async (t) => {
  t.equal(periodOf('weekly', '2027-01-01').code, '2026W53', 'a Friday in week 53 of 2026');
  t.equal(periodOf('weekly', '2026-01-01').code, '2026W1');
  t.equal(periodOf('weekly', '2021-01-03').code, '2020W53');
  t.equal(periodOf('monthly', '2026-11-30').code, '202611');
  t.equal(periodOf('quarterly', '2026-11-30').code, '2026Q4');
  t.equal(periodOf('yearly', '2026-11-30').code, '2026');
  t.equal(periodOf('daily', '2026-11-30').code, '20261130');
});
