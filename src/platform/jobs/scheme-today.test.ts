import t from 'tap';
import { todayIn } from './scheme-today.ts';

t.test("the scheme's today is the local calendar day", async (t) => {
  const lateEveningUtc = new Date('2024-06-30T21:30:00Z');
  t.equal(todayIn('UTC', lateEveningUtc), '2024-06-30');
  t.equal(todayIn('Africa/Dar_es_Salaam', lateEveningUtc), '2024-07-01', 'UTC+3: already the next day');
  t.throws(() => todayIn('Mars/Olympus_Mons'), RangeError, 'an unknown zone is refused');
});
