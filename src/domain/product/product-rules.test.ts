import t, { type Test } from 'tap';
import { KingaError } from '../shared/errors.ts';
import { MedicalItem } from '../medical/medical-item.entity.ts';
import { MedicalService } from '../medical/medical-service.entity.ts';
import { ProductCoverage } from './product-coverage.entity.ts';
import { AmountLimits } from './amount-limits.entity.ts';
import { CategoryLimits } from './category-limits.entity.ts';
import { AmountGrids, Product } from './product.entity.ts';
import { isDayMonth } from './product-rules.ts';

/** A product that passes every rule; each test breaks one lever. */
function validProduct(levers: Partial<Product> = {}): Product {
  const product = new Product();
  Object.assign(product, {
    code: 'P1',
    name: 'Basic',
    dateFrom: '2025-01-01',
    dateTo: '2025-12-31',
    insurancePeriodMonths: 12,
    administrationPeriodMonths: 0,
    startCycles: ['01-01', '01-07'],
    gracePeriodEnrolmentMonths: 1,
    gracePeriodRenewalMonths: 1,
    gracePeriodPaymentMonths: 2,
    lumpSum: '3500.00',
    threshold: 5,
    maxMembers: 10,
    premiumAdult: '700.00',
    premiumChild: '350.00',
    enrolmentDiscountPercent: '10.00',
    enrolmentDiscountPeriodMonths: 1,
    ceilingInterpretation: 'I',
    categoryLimits: Object.assign(new CategoryLimits(), { consultationCount: 6, surgeryAmount: '50000.00' }),
    relativePricingDistribution: ['25.00', '25.00', '25.00', '25.00'],
  });
  for (const grid of AmountGrids) {
    product[grid] = Object.assign(new AmountLimits(), {
      general: '1000.00',
      inPatient: null,
      outPatient: null,
    });
  }
  return Object.assign(product, levers);
}

function refusal(t: Test, work: () => void, code: string, field: string): void {
  let thrown: unknown;
  try {
    work();
  } catch (error) {
    thrown = error;
  }
  t.ok(thrown instanceof KingaError, 'refused with a KingaError');
  t.equal((thrown as KingaError).code, code);
  t.equal((thrown as KingaError).issues[0]?.field, field);
}

t.test('isDayMonth: DD-MM that occurs every year', async (t) => {
  for (const ok of ['01-01', '31-01', '28-02', '30-04', '31-12']) {
    t.ok(isDayMonth(ok), ok);
  }
  for (const bad of ['29-02', '31-04', '00-01', '01-13', '1-1', '01/01', '2025-01-01', '']) {
    t.notOk(isDayMonth(bad), bad);
  }
});

t.test('a product with sensible levers passes', async (t) => {
  t.doesNotThrow(() => validProduct().assertConsistent());
  t.doesNotThrow(() => validProduct({ lumpSum: null, threshold: null, maxMembers: null }).assertConsistent());
});

t.test('each product rule names the lever it refuses', async (t) => {
  const cases: [string, Partial<Product>, string, string][] = [
    ['window ends before it starts', { dateTo: '2024-12-31' }, 'product.dates', 'dateTo'],
    ['not a calendar date', { dateFrom: '2025-02-30' }, 'product.date-invalid', 'dateFrom'],
    ['a cycle that is not DD-MM', { startCycles: ['1-1'] }, 'product.start-cycle-invalid', 'startCycles'],
    ['29 February', { startCycles: ['29-02'] }, 'product.start-cycle-invalid', 'startCycles'],
    [
      'five cycles',
      { startCycles: ['01-01', '01-03', '01-06', '01-09', '01-11'] },
      'product.start-cycles-too-many',
      'startCycles',
    ],
    ['a cycle twice', { startCycles: ['01-01', '01-01'] }, 'product.start-cycle-duplicate', 'startCycles'],
    ['threshold above the cap', { threshold: 11 }, 'product.threshold-above-max-members', 'threshold'],
    [
      'no insurance period',
      { insurancePeriodMonths: 0 },
      'product.whole-number-invalid',
      'insurancePeriodMonths',
    ],
    [
      'a negative grace period',
      { gracePeriodPaymentMonths: -1 },
      'product.whole-number-invalid',
      'gracePeriodPaymentMonths',
    ],
    ['half a member', { maxMembers: 2.5 }, 'product.whole-number-invalid', 'maxMembers'],
    ['a negative premium', { premiumChild: '-1.00' }, 'product.amount-negative', 'premiumChild'],
    ['a premium with three decimals', { premiumAdult: '700.125' }, 'product.amount-invalid', 'premiumAdult'],
    [
      'a discount above 100 %',
      { enrolmentDiscountPercent: '100.01' },
      'product.percentage-invalid',
      'enrolmentDiscountPercent',
    ],
    ['no instalments', { maxInstallments: 0 }, 'product.whole-number-invalid', 'maxInstallments'],
    [
      'a negative category amount',
      { categoryLimits: Object.assign(new CategoryLimits(), { deliveryAmount: '-5.00' }) },
      'product.amount-negative',
      'categoryLimits.deliveryAmount',
    ],
    [
      'thirteen relative shares',
      { relativePricingDistribution: Array.from({ length: 13 }, () => '1.00') },
      'product.relative-distribution-too-long',
      'relativePricingDistribution',
    ],
    [
      'a share above 100 %',
      { relativePricingDistribution: ['50.00', '150.00'] },
      'product.percentage-invalid',
      'relativePricingDistribution[1]',
    ],
  ];
  for (const [name, levers, code, field] of cases) {
    t.test(name, async (t) => refusal(t, () => validProduct(levers).assertConsistent(), code, field));
  }
  t.test('a negative ceiling in the grid', async (t) => {
    const product = validProduct();
    product.ceilingPerExtraMember.inPatient = '-100.00';
    refusal(
      t,
      () => product.assertConsistent(),
      'product.amount-negative',
      'ceilingPerExtraMember.inPatient',
    );
  });
});

t.test('sale status follows the window and retirement', async (t) => {
  const product = validProduct();
  t.equal(product.saleStatusOn('2024-12-31'), 'upcoming');
  t.equal(product.saleStatusOn('2025-01-01'), 'on-sale');
  t.equal(product.saleStatusOn('2025-12-31'), 'on-sale');
  t.equal(product.saleStatusOn('2026-01-01'), 'closed');
  product.deletedAt = new Date();
  t.equal(product.saleStatusOn('2025-06-01'), 'closed');
});

function validLine(levers: Partial<ProductCoverage> = {}): ProductCoverage {
  const line = new ProductCoverage();
  Object.assign(line, {
    item: Object.assign(new MedicalItem(), { id: '0197a0e0-0000-7000-8000-000000000001' }),
    priceOrigin: 'P',
    limitationType: 'C',
    limitationTypeReferral: 'F',
    limitationTypeEmergency: 'C',
    limitAdult: '80.00',
    limitAdultReferral: '1500.00',
    limitAdultEmergency: '100.00',
    limitChild: '100.00',
    limitChildReferral: '2000.00',
    limitChildEmergency: '100.00',
    maxProvisionsAdult: 4,
    maxProvisionsChild: null,
    waitingPeriodAdultMonths: 3,
    waitingPeriodChildMonths: 0,
  });
  return Object.assign(line, levers);
}

t.test('coverage line rules', async (t) => {
  t.doesNotThrow(() => validLine().assertConsistent('coverage[0]'));
  t.doesNotThrow(
    () => validLine({ limitAdultReferral: '150000.00' }).assertConsistent('coverage[0]'),
    'a fixed limit may exceed 100',
  );
  const cases: [string, Partial<ProductCoverage>, string, string][] = [
    [
      'co-insurance above 100 %',
      { limitAdult: '100.50' },
      'product.percentage-invalid',
      'coverage[1].limitAdult',
    ],
    [
      'a negative fixed limit',
      { limitChildReferral: '-1.00' },
      'product.amount-negative',
      'coverage[1].limitChildReferral',
    ],
    [
      'negative provisions',
      { maxProvisionsAdult: -1 },
      'product.whole-number-invalid',
      'coverage[1].maxProvisionsAdult',
    ],
    [
      'a negative waiting period',
      { waitingPeriodChildMonths: -2 },
      'product.whole-number-invalid',
      'coverage[1].waitingPeriodChildMonths',
    ],
    [
      'both an item and a service',
      { service: Object.assign(new MedicalService(), { id: '0197a0e0-0000-7000-8000-000000000002' }) },
      'product.coverage-target',
      'coverage[1]',
    ],
    ['neither an item nor a service', { item: null }, 'product.coverage-target', 'coverage[1]'],
  ];
  for (const [name, levers, code, field] of cases) {
    t.test(name, async (t) =>
      refusal(t, () => validLine(levers).assertConsistent('coverage[1]'), code, field),
    );
  }
});
