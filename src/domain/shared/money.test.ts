import t from 'tap';
import {
  addMoney,
  compareMoney,
  fromMinor,
  multiplyMoney,
  percentOf,
  subtractMoney,
  toMinor,
} from './money.ts';

t.test('money is exact to the cent', async (t) => {
  t.equal(addMoney('0.10', '0.20'), '0.30', 'no float drift');
  t.equal(subtractMoney('3500', '3500.01'), '-0.01');
  t.equal(multiplyMoney('700.50', 3), '2101.50');
  t.equal(toMinor('12.5'), 1250n);
  t.equal(fromMinor(-5n), '-0.05');
  t.equal(compareMoney('10', '9.99'), 1);
});

t.test('percentages round half away from zero to the cent', async (t) => {
  t.equal(percentOf('99.99', '12.5'), '12.50');
  t.equal(percentOf('100.00', '10'), '10.00');
  t.equal(percentOf('0.05', '50'), '0.03');
  t.equal(percentOf('-0.05', '50'), '-0.03');
});

t.test('anything but an amount is refused', async (t) => {
  t.throws(() => toMinor('1e3'));
  t.throws(() => toMinor('12.345'));
  // Refused again: what is kept is only what was read.
  t.throws(() => toMinor('12.345'));
});

t.test('an amount read again is the same, also after many others', async (t) => {
  t.equal(toMinor('-7.5'), -750n);
  t.equal(toMinor('-7.5'), -750n, 'kept');
  const wrong = Array.from({ length: 25_000 }, (_, i) => i).filter(
    (i) => toMinor(`${i}.01`) !== BigInt(i) * 100n + 1n || toMinor(`${i}.01`) !== BigInt(i) * 100n + 1n,
  );
  t.same(wrong, [], '25 000 amounts, each read twice');
  t.equal(toMinor('-7.5'), -750n, 'after the kept amounts were let go');
});
