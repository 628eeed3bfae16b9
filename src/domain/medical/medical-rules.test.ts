import t from 'tap';
import { KingaError } from '../shared/errors.ts';
import { patientCategoryAllows } from './medical-codes.ts';
import {
  assertProvisionRules,
  isWithin,
  patientCategory,
  price,
  requiredText,
  wholeNumber,
} from './medical-rules.ts';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof KingaError ? `${error.code} @${error.issues[0]?.field}` : String(error);
  }
};

t.test('prices are money, never negative, kept with two decimals', async (t) => {
  t.equal(price('5.99', 'price'), '5.99');
  t.equal(price('1', 'price'), '1.00');
  t.equal(price('0', 'priceOverrule'), '0.00', 'a zero price is a price');
  t.equal(
    code(() => price('-0.01', 'price')),
    'medical.price-negative @price',
  );
  t.equal(
    code(() => price('1.005', 'priceOverrule')),
    'medical.price-invalid @priceOverrule',
  );
  t.equal(
    code(() => price('1e3', 'price')),
    'medical.price-invalid @price',
  );
});

t.test('texts are trimmed, required and bounded', async (t) => {
  t.equal(requiredText('  A00 ', 'code', 6), 'A00');
  t.equal(
    code(() => requiredText('   ', 'name', 10)),
    'medical.text-required @name',
  );
  t.equal(
    code(() => requiredText(undefined, 'code', 10)),
    'medical.text-required @code',
  );
  t.equal(
    code(() => requiredText('ABCDEFG', 'code', 6)),
    'medical.text-too-long @code',
  );
});

t.test('counts are whole numbers from their minimum', async (t) => {
  t.equal(wholeNumber(null, 'maximumQuantity', 1), null);
  t.equal(wholeNumber(0, 'frequencyDays', 0), 0);
  t.equal(
    code(() => wholeNumber(0, 'maximumQuantity', 1)),
    'medical.quantity-invalid @maximumQuantity',
  );
  t.equal(
    code(() => wholeNumber(1.5, 'frequencyDays', 0)),
    'medical.quantity-invalid @frequencyDays',
  );
});

t.test('a patient category lets at least one sex and one age group have it', async (t) => {
  t.equal(patientCategory(15), 15);
  t.equal(patientCategory(2 | 4), 6, 'women only');
  for (const mask of [0, 1 | 2, 4 | 8, 16, -1, 2.5]) {
    t.equal(
      code(() => patientCategory(mask)),
      'medical.patient-category-invalid @patientCategory',
      `mask ${mask}`,
    );
  }
  t.ok(patientCategoryAllows(6, { sex: 'F', adult: true }));
  t.notOk(patientCategoryAllows(6, { sex: 'F', adult: false }));
  t.notOk(patientCategoryAllows(6, { sex: 'M', adult: true }));
});

t.test('validity windows run forwards and have open ends', async (t) => {
  t.equal(
    code(() => assertProvisionRules({ patientCategory: 15, validFrom: '2026-02-01', validTo: '2026-01-31' })),
    'medical.validity-dates @validTo',
  );
  t.equal(
    code(() => assertProvisionRules({ patientCategory: 15, validFrom: '2026-02-01', validTo: '2026-02-01' })),
    undefined,
    'one day',
  );
  t.ok(isWithin('2026-01-01', null, null));
  t.ok(isWithin('2026-01-01', '2026-01-01', '2026-01-01'));
  t.notOk(isWithin('2025-12-31', '2026-01-01', null));
  t.notOk(isWithin('2026-01-02', null, '2026-01-01'));
});
