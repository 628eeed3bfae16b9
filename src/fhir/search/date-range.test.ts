import t from 'tap';
import { parseDateRange, splitPrefix } from './date-range.ts';

t.test('partial dates denote the whole year, month or day', async (t) => {
  t.same(parseDateRange('1990'), {
    low: new Date('1990-01-01T00:00:00Z'),
    high: new Date('1991-01-01T00:00:00Z'),
    calendar: true,
  });
  t.same(parseDateRange('2024-02')?.high, new Date('2024-03-01T00:00:00Z'));
  t.same(parseDateRange('2024-12-31')?.high, new Date('2025-01-01T00:00:00Z'));
});

t.test('times honour their offset and precision', async (t) => {
  const r = parseDateRange('2024-05-01T10:00:00+02:00');
  t.same(r?.low, new Date('2024-05-01T08:00:00Z'));
  t.equal(r!.high.getTime() - r!.low.getTime(), 1000);
  t.equal(
    parseDateRange('2024-05-01T10:00Z')!.high.getTime() - parseDateRange('2024-05-01T10:00Z')!.low.getTime(),
    60_000,
  );
});

t.test('impossible dates are rejected', async (t) => {
  t.equal(parseDateRange('2024-02-30'), undefined);
  t.equal(parseDateRange('2024-13'), undefined);
  t.equal(parseDateRange('yesterday'), undefined);
});

t.test('prefixes are split only before a digit', async (t) => {
  t.same(splitPrefix('ge2020'), { prefix: 'ge', rest: '2020' });
  t.same(splitPrefix('2020'), { prefix: 'eq', rest: '2020' });
  t.same(splitPrefix('eb2020-01-01'), { prefix: 'eb', rest: '2020-01-01' });
});
