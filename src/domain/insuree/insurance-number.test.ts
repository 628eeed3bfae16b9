import t from 'tap';
import {
  insuranceNumberProblem,
  luhnCheckDigit,
  moduloCheckDigit,
  withCheckDigit,
} from './insurance-number.ts';

t.test('Luhn check digit matches the textbook example', async (t) => {
  // 7992739871 → check digit 3 (the classic worked example of the Luhn algorithm)
  t.equal(luhnCheckDigit('7992739871'), 3);
  t.equal(insuranceNumberProblem('79927398713', { checkDigit: 'luhn', modulo: 7 }), undefined);
  t.equal(
    insuranceNumberProblem('79927398710', { checkDigit: 'luhn', modulo: 7 }),
    'check digit does not match',
  );
});

t.test('modulo check digit is the remainder of the body, as openIMIS computes it', async (t) => {
  t.equal(moduloCheckDigit('12345678', 7), 12345678 % 7);
  t.equal(moduloCheckDigit('99999999999999999999', 7), Number(99999999999999999999n % 7n));
  const number = withCheckDigit('10000001', { checkDigit: 'modulo', modulo: 7 });
  t.equal(number, `10000001${10000001 % 7}`);
  t.equal(insuranceNumberProblem(number, { checkDigit: 'modulo', modulo: 7, length: 9 }), undefined);
});

t.test('length and alphabet are enforced', async (t) => {
  t.equal(
    insuranceNumberProblem('123', { checkDigit: 'none', modulo: 7, length: 9 }),
    'must have 9 characters',
  );
  t.match(insuranceNumberProblem('12 34', { checkDigit: 'none', modulo: 7 }), /letters, digits/);
  t.equal(insuranceNumberProblem('TestChfId1', { checkDigit: 'none', modulo: 7 }), undefined);
  t.match(insuranceNumberProblem('AB12', { checkDigit: 'modulo', modulo: 7 }), /digits only/);
});
