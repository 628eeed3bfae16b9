/**
 * A small scheme for the indicator exports, written through the ORM and the claim API: a district
 * with a ward of two villages, four insurees in three families (one without a birth date), two
 * policies enrolled today (one paid), and a valuated claim at a facility of the district treated
 * today. Codes are unique to the call; `month` is this month's DHIS2 period.
 */
import type { Location } from '../../src/domain/location/location.entity.ts';
import { Organisation } from '../../src/domain/organisation/organisation.entity.ts';
import { periodOf, type Period } from '../../src/domain/indicator/periods.ts';
import { enrolFamily } from '../../src/domain/policy/enrol-family.ts';
import { recordPremium } from '../../src/domain/policy/record-premium.ts';
import { Location as LocationEntity } from '../../src/domain/location/location.entity.ts';
import { todayIn } from '../../src/platform/jobs/scheme-today.ts';
import { claimOf } from '../claims/claim-fixtures.ts';
import { claimScheme } from '../claims/claim-scheme.ts';
import { unique, type TestApp } from '../helpers/test-app.ts';
import { makeFamily, makePlaces, makeProduct, onPayment, write } from '../policy/scheme-fixtures.ts';

export interface IndicatorScheme {
  region: Location;
  district: Location;
  ward: Location;
  villages: Location[];
  facility: Organisation;
  productCode: string;
  today: string;
  month: Period;
}

export async function indicatorScheme(kinga: TestApp): Promise<IndicatorScheme> {
  const db = kinga.database;
  const today = todayIn(kinga.config.SCHEME_TIME_ZONE);
  const seeded = await write(db, async (tx) => {
    const places = makePlaces(tx);
    const second = tx.create(LocationEntity, {
      code: unique('L'),
      name: unique('Place '),
      type: 'V',
      parent: places.ward,
    });
    const product = makeProduct(tx, { premiumAdult: '50.00', premiumChild: '50.00' });
    const one = makeFamily(tx, places.village, [
      { birthDate: '1980-05-01' },
      { birthDate: `${Number(today.slice(0, 4)) - 2}-03-01` },
    ]);
    one.members[0]!.gender = 'F';
    one.members[1]!.gender = 'M';
    const two = makeFamily(tx, second, [{ birthDate: '1940-01-01' }]);
    const three = makeFamily(tx, second, [{ birthDate: null }]);
    three.members[0]!.gender = 'F';
    await tx.flush();
    const paid = await enrolFamily(
      tx,
      { familyId: one.family.id, productId: product.id, officerId: null, enrolDate: today },
      onPayment,
    );
    await recordPremium(
      tx,
      { policyId: paid.policy.id, amount: '100.00', payDate: today, payType: 'C', receipt: unique('R') },
      onPayment,
    );
    await enrolFamily(
      tx,
      { familyId: two.family.id, productId: product.id, officerId: null, enrolDate: today },
      onPayment,
    );
    return { ...places, villages: [places.village, second], productCode: product.code };
  });

  const claims = await claimScheme(db);
  await write(db, async (tx) => {
    const facility = await tx.findOneOrFail(Organisation, claims.facility.id);
    facility.location = tx.getReference(LocationEntity, seeded.district.id);
  });
  const response = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Claim',
    body: claimOf({
      patient: claims.member.id,
      facility: claims.facility.id,
      diagnosis: claims.diagnosis.code,
      from: today,
      visit: 'E',
      lines: [
        { kind: 'item', code: claims.item.code, quantity: 2, price: 10 },
        { kind: 'service', code: claims.service.code, quantity: 1, price: 20 },
      ],
    }),
  });
  if (response.status !== 201) {
    throw new Error(`claim: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return {
    region: seeded.region,
    district: seeded.district,
    ward: seeded.ward,
    villages: seeded.villages,
    facility: claims.facility,
    productCode: seeded.productCode,
    today,
    month: periodOf('monthly', today),
  };
}
