/**
 * The ADX serialiser against hand-made observations: the exact message, read back with a real
 * XML parser, and compared with the shapes of the published ADX examples (DHIS2 docs and
 * dhis2-core's import test).
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parsePeriod } from '../../src/domain/indicator/periods.ts';
import { adxMessage, xmlAttribute } from '../../src/integrations/dhis2/formats/adx.ts';
import { CODE_SCHEMES, exportIdSchemes } from '../../src/integrations/dhis2/formats/id-schemes.ts';
import { metadataUid } from '../../src/integrations/dhis2/uids.ts';
import { claims, enrolment, ward } from './hand-made-cube.ts';
import { parseAdx } from './read-formats.ts';

const EXPORTED = new Date('2026-12-02T03:00:00.000Z');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/dhis2/${name}`, import.meta.url), 'utf8');

t.test('one group per data set, org unit and period; categories exploded; markup escaped', async (t) => {
  t.equal(
    adxMessage(enrolment, CODE_SCHEMES, EXPORTED),
    `<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-12-02T03:00:00Z">
  <group dataSet="ENROLMENT" orgUnit="W-01 &amp; &lt;Kibaha&gt;" period="2026-11-01/P1M">
    <dataValue dataElement="NB_INSUREES" AGE_GROUP="AGE_GROUP_P0Y_P5Y" SEX="SEX_F" value="3"/>
    <dataValue dataElement="NB_INSUREES" AGE_GROUP="AGE_GROUP_P19Y_P25Y" SEX="SEX_M" value="2"/>
    <dataValue dataElement="NB_FAMILY" AGE_GROUP="AGE_GROUP_P76Y_P9999Y" SEX="SEX_O" PAYMENT_STATUS="PAYMENT_STATUS_PARTIALY_PAID" PAYMENT_STATE="PAYMENT_STATE_NO_POLICY" value="1"/>
    <dataValue dataElement="SUM_CONTRIBUTIONS" PRODUCT="PRODUCT_PR_1" value="1200.50"/>
  </group>
  <group dataSet="ENROLMENT" orgUnit="OU_MLANDIZI" period="2026-11-01/P1M">
    <dataValue dataElement="NB_INSUREES" AGE_GROUP="AGE_GROUP_P26Y_P35Y" SEX="SEX_F" value="4"/>
  </group>
</adx>
`,
  );
});

t.test('read back by an XML parser: the same values, the org unit code unescaped', async (t) => {
  const adx = parseAdx(adxMessage(enrolment, CODE_SCHEMES, EXPORTED)).adx;
  t.equal(adx.xmlns, 'urn:ihe:qrph:adx:2015');
  t.equal(adx.exported, '2026-12-02T03:00:00Z');
  t.same(
    adx.group.map((g: any) => [g.dataSet, g.orgUnit, g.period, g.dataValue.length]),
    [
      ['ENROLMENT', ward.code, '2026-11-01/P1M', 4],
      ['ENROLMENT', 'OU_MLANDIZI', '2026-11-01/P1M', 1],
    ],
  );
  t.same(adx.group[0].dataValue[2], {
    dataElement: 'NB_FAMILY',
    AGE_GROUP: 'AGE_GROUP_P76Y_P9999Y',
    SEX: 'SEX_O',
    PAYMENT_STATUS: 'PAYMENT_STATUS_PARTIALY_PAID',
    PAYMENT_STATE: 'PAYMENT_STATE_NO_POLICY',
    value: '1',
  });
});

t.test('the shapes of the published ADX examples', async (t) => {
  const mine = parseAdx(adxMessage(claims, CODE_SCHEMES, EXPORTED)).adx;
  for (const name of ['adx-tbhiv-vcct-example.dhis2-docs.xml', 'adx-importA.dhis2-core-test.xml']) {
    const theirs = parseAdx(fixture(name)).adx;
    t.equal(mine.xmlns, theirs.xmlns, `${name}: the namespace`);
    for (const group of [...theirs.group, ...mine.group]) {
      for (const attribute of ['dataSet', 'orgUnit', 'period']) {
        t.type(group[attribute], 'string', `${name}: a group has ${attribute}`);
      }
      t.match(group.period, /^\d{4}-\d{2}-\d{2}\/P\d+[DMY]$/, 'ADX periods are ISO 8601 start/duration');
      for (const value of group.dataValue) {
        t.type(value.dataElement, 'string');
        t.type(value.value, 'string');
      }
    }
  }
  t.ok(
    parseAdx(fixture('adx-tbhiv-vcct-example.dhis2-docs.xml')).adx.exported,
    'the docs example says when it was exported',
  );
  // Exploded categories are XML attribute names: letters, digits, _ (codes.ts).
  for (const value of mine.group.flatMap((g: any) => g.dataValue)) {
    for (const name of Object.keys(value)) {
      t.match(name, /^[A-Za-z_][A-Za-z0-9_]*$/);
    }
  }
  t.same(
    mine.group[0].dataValue.map((v: any) => v.dataElement),
    ['CLAIMS_VALUATED', 'DAYS_TO_VALUATION', 'REJECTION_RATE'],
    'totals only for elements without disaggregation',
  );
  t.same(mine.group[0].dataValue[2], {
    dataElement: 'REJECTION_RATE',
    REJECTION_REASON: 'REJECTION_REASON_2',
    value: '12.50',
  });
});

t.test('other periods in ADX form; options by UID when asked', async (t) => {
  for (const [code, adx] of [
    ['2026W48', '2026-11-23/P7D'],
    ['20261130', '2026-11-30/P1D'],
    ['2026Q4', '2026-10-01/P3M'],
    ['2026', '2026-01-01/P1Y'],
  ] as const) {
    const period = parsePeriod(code);
    const data = {
      ...enrolment,
      periods: [period],
      observations: enrolment.observations.map((o) => ({ ...o, period: code })),
    };
    t.equal(parseAdx(adxMessage(data, CODE_SCHEMES, EXPORTED)).adx.group[0].period, adx, code);
  }
  const byUid = parseAdx(adxMessage(enrolment, exportIdSchemes({ idScheme: 'UID' }), EXPORTED)).adx;
  t.equal(byUid.group[0].dataSet, metadataUid('DataSet', 'ENROLMENT'));
  t.equal(byUid.group[0].dataValue[0].dataElement, metadataUid('DataElement', 'NB_INSUREES'));
  t.equal(
    byUid.group[0].dataValue[0].SEX,
    metadataUid('CategoryOption', 'SEX_F'),
    'the attribute stays the category code',
  );
});

t.test('nothing to send is still a valid, empty message', async (t) => {
  const empty = adxMessage({ ...enrolment, observations: [] }, CODE_SCHEMES, EXPORTED);
  t.equal(
    empty,
    '<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-12-02T03:00:00Z"/>\n',
  );
  t.notOk(parseAdx(empty).adx.group);
});

t.test('attribute text: markup, quotes, whitespace and characters XML cannot carry', async (t) => {
  t.equal(xmlAttribute(`a&b<c>"d"'e'`), `a&amp;b&lt;c&gt;&quot;d&quot;'e'`);
  t.equal(xmlAttribute('one\ttwo\nthree\rfour'), 'one&#9;two&#10;three&#13;four');
  t.equal(xmlAttribute('bell\u0007 and \uD800 alone'), 'bell\uFFFD and \uFFFD alone');
  t.equal(xmlAttribute('Dar es Salaam 🌍'), 'Dar es Salaam 🌍', 'a surrogate pair is kept');
  const tricky = { ...ward, code: 'W "1"\n<&>\u0001' };
  const message = adxMessage(
    { ...enrolment, orgUnits: [tricky, enrolment.orgUnits[1]!] },
    CODE_SCHEMES,
    EXPORTED,
  );
  t.equal(parseAdx(message).adx.group[0].orgUnit, 'W "1"\n<&>\uFFFD', 'parsed back as written');
});
