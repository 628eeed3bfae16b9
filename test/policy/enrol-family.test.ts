import type { EntityManager } from '@mikro-orm/core';
import t from 'tap';
import { enrolFamily } from '../../src/domain/policy/enrol-family.ts';
import { Policy } from '../../src/domain/policy/policy.entity.ts';
import {
  failure,
  loadCover,
  loadPolicy,
  makeFamily,
  makeOfficer,
  makePlaces,
  makeProduct,
  onPayment,
  openTestDatabase,
  reader,
  write,
  type Person,
} from './scheme-fixtures.ts';

const db = await openTestDatabase(t);

// On 2024-04-15 (the start date below) with majority at 18: born 1980 → adult, 2012 → child.
const adult: Person = { birthDate: '1980-02-02' };
const child: Person = { birthDate: '2012-09-09', relationship: '4' };

const setting = await write(db, async (tx) => {
  const places = makePlaces(tx);
  const elsewhere = makePlaces(tx);
  // 2 adults, 3 children, and an inactive member who is neither priced nor covered.
  const household = makeFamily(tx, places.village, [
    adult,
    adult,
    child,
    child,
    child,
    { ...adult, status: 'IN' },
  ]);
  const large = makeFamily(tx, places.village, [adult, adult, adult, child, child, child]);
  const product = makeProduct(tx, {
    administrationPeriodMonths: 1,
    lumpSum: '100.00',
    threshold: 4,
    maxMembers: 5,
    premiumAdult: '30.00',
    premiumChild: '15.00',
    registrationFee: '5.00',
    generalAssemblyFee: '2.00',
  });
  return {
    places,
    household,
    large,
    product,
    officer: makeOfficer(tx),
    retired: makeOfficer(tx, { worksTo: '2023-12-31' }),
    expired: makeProduct(tx, { dateTo: '2023-12-31' }),
    regional: makeProduct(tx, { location: places.region }),
    otherDistrict: makeProduct(tx, { location: elsewhere.district }),
    free: makeProduct(tx),
  };
});

const policiesOf = (familyId: string) => reader(db).count(Policy, { family: familyId });

t.test('enrolment computes dates and value on the server and covers every active member', async (t) => {
  const enrolment = await write(db, (tx) =>
    enrolFamily(
      tx,
      {
        familyId: setting.household.family.id,
        productId: setting.product.id,
        officerId: setting.officer.id,
        enrolDate: '2024-03-15',
      },
      onPayment,
    ),
  );
  // start: 2024-03-15 + 1 month of administration; expiry: + 12 months − 1 day.
  // value: 2 adults + 2 children in the lump sum (threshold 4), 1 extra child: 100 + 15 = 115;
  // registration 5 members × 5 = 25; general assembly 5 × 2 = 10 → 150.00
  t.match(enrolment.value, {
    value: '150.00',
    adults: 2,
    children: 3,
    extraChildren: 1,
    registration: '25.00',
  });
  t.match(enrolment.settlement, { status: 'idle', balance: '150.00', credit: '0.00' });

  const policy = await loadPolicy(db, enrolment.policy.id);
  t.match(policy, {
    stage: 'N',
    status: 'idle',
    value: '150.00',
    enrolDate: '2024-03-15',
    startDate: '2024-04-15',
    expiryDate: '2025-04-14',
    effectiveDate: null,
  });
  const cover = await loadCover(db, policy.id);
  t.equal(cover.length, 5, 'the inactive member is not covered');
  t.ok(cover.every((c) => c.insuree.status === 'AC'));
  t.ok(
    cover.every(
      (c) => c.effectiveDate === null && c.coverThreshold === '150.00' && c.startDate === '2024-04-15',
    ),
    'nobody is covered before the premium is paid',
  );
});

t.test('what a client claims is checked, not trusted', async (t) => {
  const before = await policiesOf(setting.household.family.id);
  const enrol = (claimed: object) => (tx: EntityManager) =>
    enrolFamily(
      tx,
      {
        familyId: setting.household.family.id,
        productId: setting.product.id,
        enrolDate: '2024-03-15',
        claimed,
      },
      onPayment,
    );
  t.equal(await failure(db, enrol({ value: '115.00' })), 'policy.claimed-value-differs');
  t.equal(await failure(db, enrol({ startDate: '2024-03-15' })), 'policy.claimed-date-differs');
  t.equal(
    await failure(db, enrol({ value: '150.00', startDate: '2024-04-15', expiryDate: '2025-04-14' })),
    'no error',
  );
  t.equal(await policiesOf(setting.household.family.id), before + 1, 'only the right claim was stored');
});

t.test('bad enrolments are refused and store nothing', async (t) => {
  const cases: [
    string,
    { productId?: string; familyId?: string; officerId?: string; enrolDate?: string },
    string,
  ][] = [
    ['a family over the maximum (6 > 5)', { familyId: setting.large.family.id }, 'policy.family-too-large'],
    ['a product no longer on sale', { productId: setting.expired.id }, 'policy.product-not-on-sale'],
    [
      'a product of another district',
      { productId: setting.otherDistrict.id },
      'policy.product-not-sold-here',
    ],
    ['an unknown product', { productId: '01900000-0000-7000-8000-000000000000' }, 'policy.product-not-found'],
    ['an officer who no longer works', { officerId: setting.retired.id }, 'policy.officer-unavailable'],
    ['an impossible date', { enrolDate: '2024-02-30' }, 'policy.date-invalid'],
  ];
  for (const [name, change, code] of cases) {
    const familyId = change.familyId ?? setting.household.family.id;
    const before = await policiesOf(familyId);
    const got = await failure(db, (tx) =>
      enrolFamily(
        tx,
        {
          familyId,
          productId: change.productId ?? setting.product.id,
          officerId: change.officerId ?? setting.officer.id,
          enrolDate: change.enrolDate ?? '2024-03-15',
        },
        onPayment,
      ),
    );
    t.equal(got, code, name);
    t.equal(await policiesOf(familyId), before, `${name}: nothing stored`);
  }
});

t.test('a regional product is sold in the villages of its region', async (t) => {
  const enrolment = await write(db, (tx) =>
    enrolFamily(
      tx,
      { familyId: setting.household.family.id, productId: setting.regional.id, enrolDate: '2024-03-15' },
      onPayment,
    ),
  );
  t.equal((await loadPolicy(db, enrolment.policy.id)).product.id, setting.regional.id);
});

t.test('a free product is active at once, from its start', async (t) => {
  const enrolment = await write(db, (tx) =>
    enrolFamily(
      tx,
      { familyId: setting.household.family.id, productId: setting.free.id, enrolDate: '2024-03-15' },
      onPayment,
    ),
  );
  t.match(await loadPolicy(db, enrolment.policy.id), {
    status: 'active',
    value: '0.00',
    effectiveDate: '2024-03-15',
  });
  const cover = await loadCover(db, enrolment.policy.id);
  t.ok(cover.every((c) => c.effectiveDate === '2024-03-15'));
});
