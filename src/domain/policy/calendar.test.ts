import t from 'tap';
import { addDays, addMonths, dayOfYear } from './calendar.ts';

t.test('adding months keeps the day, clamped to the end of the month', async (t) => {
  const cases: [string, number, string][] = [
    ['2024-03-15', 1, '2024-04-15'],
    ['2024-12-15', 1, '2025-01-15'],
    ['2025-01-15', -1, '2024-12-15'],
    ['2024-01-31', 1, '2024-02-29'], // leap year: February has 29 days
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-05-31', -3, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-01-01', -13, '2022-12-01'],
    ['2024-08-31', 6, '2025-02-28'],
  ];
  for (const [date, months, expected] of cases) {
    t.equal(addMonths(date, months), expected, `${date} ${months >= 0 ? '+' : ''}${months} months`);
  }
});

t.test('adding days crosses months and years', async (t) => {
  t.equal(addDays('2024-02-28', 1), '2024-02-29');
  t.equal(addDays('2024-03-01', -1), '2024-02-29');
  t.equal(addDays('2023-03-01', -1), '2023-02-28');
  t.equal(addDays('2024-12-31', 1), '2025-01-01');
});

t.test('a DD-MM cycle start falls on a real day of the year', async (t) => {
  t.equal(dayOfYear('01-07', 2024), '2024-07-01');
  t.equal(dayOfYear('29-02', 2024), '2024-02-29');
  t.equal(dayOfYear('29-02', 2023), '2023-02-28');
  t.throws(() => dayOfYear('31-13', 2024), RangeError);
  t.throws(() => dayOfYear('1-7', 2024), RangeError);
  t.throws(() => addMonths('2024-7-1', 1), RangeError);
});
