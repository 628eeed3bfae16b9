import t from 'tap';
import { Categories, Indicators } from '../../src/domain/indicator/catalogue.ts';
import { buildTestApp, validFhir, type TestApp } from '../helpers/test-app.ts';
import { makeProduct, write } from '../policy/scheme-fixtures.ts';

const kinga = await buildTestApp(t);

const UID = /^[A-Za-z][A-Za-z0-9]{10}$/;
/** A valid XML name in ASCII, DHIS2's 50-character code limit. */
const XML_CODE = /^[A-Z_][A-Z0-9_]{0,49}$/;
const DEFAULT_COMBO = 'bjDvmb4bfuf';
const DHIS2_UID = 'https://kinga.health/fhir/NamingSystem/dhis2-uid';

async function metadata(
  app: TestApp = kinga,
  scopes = 'system/Measure.r',
): Promise<{ status: number; body: any }> {
  const response = await app.app.inject({
    method: 'GET',
    url: '/dhis2/metadata',
    headers: { authorization: `Bearer ${await app.token(scopes)}` },
  });
  return { status: response.statusCode, body: response.json() };
}

const product = await write(kinga.database, async (tx) => makeProduct(tx, { name: 'Family cover' }));
const first = await metadata();
const pkg = first.body;
const byCode = (list: any[], code: string): any => list.find((o) => o.code === code);

t.test('the package has every object type, each with a valid code and UID, no UID twice', async (t) => {
  t.equal(first.status, 200);
  const types = ['categoryOptions', 'categories', 'categoryCombos', 'dataElements', 'dataSets'];
  t.same(Object.keys(pkg).sort(), [...types, 'categoryOptionCombos'].sort());
  const ids = new Set<string>();
  for (const type of types) {
    t.ok(pkg[type].length > 0, `${type} listed`);
    for (const object of pkg[type]) {
      t.match(object.id, UID, `${type} ${object.code}: a DHIS2 UID`);
      t.match(object.code, XML_CODE, `${type} ${object.code}: a clean code`);
      t.notOk(ids.has(object.id), `${object.id} is not used twice`);
      ids.add(object.id);
      t.ok(object.name.length <= 230 && object.name.endsWith(`[${object.code}]`), 'a unique name');
      if (object.shortName !== undefined) {
        t.ok(object.shortName.length <= 50);
      }
    }
  }
});

t.test('UIDs are stable across requests and servers', async (t) => {
  const second = await metadata(await buildTestApp(t));
  t.equal(second.status, 200);
  // Other test files add products while this runs: compare what both answers hold.
  for (const type of Object.keys(pkg)) {
    const later = new Map(second.body[type].map((o: any) => [o.code, o.id]));
    for (const object of pkg[type]) {
      if (later.has(object.code)) {
        t.equal(later.get(object.code), object.id, `${type} ${object.code}`);
      }
    }
  }
  t.same(second.body.dataElements, pkg.dataElements);
  t.same(second.body.dataSets, pkg.dataSets);
  t.same(second.body.categoryCombos, pkg.categoryCombos);
});

t.test(
  'data elements follow the catalogue: value type by unit, AVERAGE for rates, zeros, combos',
  async (t) => {
    t.same(
      pkg.dataElements.map((d: any) => d.code),
      Indicators.map((i) => i.code),
    );
    for (const indicator of Indicators) {
      const element = byCode(pkg.dataElements, indicator.code);
      t.equal(element.domainType, 'AGGREGATE');
      t.equal(
        element.valueType,
        indicator.unit === 'count' ? 'INTEGER' : 'NUMBER',
        `${indicator.code} value type`,
      );
      t.equal(element.aggregationType, indicator.rate ? 'AVERAGE' : 'SUM', `${indicator.code} aggregation`);
      t.equal(element.zeroIsSignificant, indicator.zeroIsSignificant);
      t.equal(element.formName, indicator.name);
      if (indicator.categories.length === 0) {
        t.same(element.categoryCombo, { id: DEFAULT_COMBO });
        continue;
      }
      const combo = pkg.categoryCombos.find((c: any) => c.id === element.categoryCombo.id);
      t.ok(combo, `${indicator.code} has its combo`);
      t.same(
        combo.categories.map((c: any) => pkg.categories.find((k: any) => k.id === c.id)?.code),
        indicator.categories,
        `${indicator.code}: the combo's categories, in order`,
      );
    }
    t.equal(byCode(pkg.dataElements, 'NB_INSUREES').valueType, 'INTEGER');
    t.equal(byCode(pkg.dataElements, 'SUM_CONTRIBUTIONS').valueType, 'NUMBER');
    t.equal(byCode(pkg.dataElements, 'RENEWAL_RATE').aggregationType, 'AVERAGE');
  },
);

t.test('every reference resolves inside the package; data sets are monthly', async (t) => {
  const ids = (type: string) => new Set(pkg[type].map((o: any) => o.id));
  const options = ids('categoryOptions');
  const categories = ids('categories');
  const elements = ids('dataElements');
  for (const category of pkg.categories) {
    t.equal(category.dataDimensionType, 'DISAGGREGATION');
    t.ok(category.categoryOptions.length > 0, `${category.code} has options`);
    t.ok(
      category.categoryOptions.every((o: any) => options.has(o.id)),
      `${category.code} options resolve`,
    );
  }
  for (const combo of pkg.categoryCombos) {
    t.ok(
      combo.categories.every((c: any) => categories.has(c.id)),
      `${combo.code} categories resolve`,
    );
  }
  for (const dataSet of pkg.dataSets) {
    t.equal(dataSet.periodType, 'Monthly');
    t.same(dataSet.categoryCombo, { id: DEFAULT_COMBO });
    t.ok(
      dataSet.dataSetElements.every(
        (e: any) => elements.has(e.dataElement.id) && e.dataSet.id === dataSet.id,
      ),
    );
    t.same(
      dataSet.dataSetElements.map(
        (e: any) => pkg.dataElements.find((d: any) => d.id === e.dataElement.id).code,
      ),
      Indicators.filter((i) => i.dataSet === dataSet.code).map((i) => i.code),
    );
  }
});

t.test(
  'options: fixed ones qualified by their category, registers read now, age bands configured',
  async (t) => {
    const optionCodes = (category: string) =>
      byCode(pkg.categories, category).categoryOptions.map(
        (o: any) => pkg.categoryOptions.find((x: any) => x.id === o.id).code,
      );
    t.same(optionCodes('SEX'), ['SEX_M', 'SEX_F', 'SEX_O']);
    t.same(optionCodes('CLAIM_STATUS').includes('CLAIM_STATUS_APPROVED'), true);
    t.same(
      optionCodes('DETAIL_STATUS').includes('DETAIL_STATUS_APPROVED'),
      true,
      'no option shared by two categories',
    );
    t.same(optionCodes('AGE_GROUP'), [
      'AGE_GROUP_P0Y_P5Y',
      'AGE_GROUP_P6Y_P12Y',
      'AGE_GROUP_P13Y_P18Y',
      'AGE_GROUP_P19Y_P25Y',
      'AGE_GROUP_P26Y_P35Y',
      'AGE_GROUP_P36Y_P55Y',
      'AGE_GROUP_P56Y_P75Y',
      'AGE_GROUP_P76Y_P9999Y',
    ]);
    t.ok(optionCodes('PRODUCT').includes(`PRODUCT_${product.code}`), 'a product written before the request');
    const option = byCode(pkg.categoryOptions, `PRODUCT_${product.code}`);
    t.equal(option.formName, 'Family cover');
    t.ok(optionCodes('REJECTION_REASON').includes('REJECTION_REASON_16'));
    t.notOk(
      optionCodes('REJECTION_REASON').includes('REJECTION_REASON_0'),
      'accepted is not a rejection reason',
    );
    t.same(
      pkg.categories.map((c: any) => c.code).sort(),
      [...new Set(Indicators.flatMap((i) => i.categories))].sort(),
    );
    t.same(Object.keys(Categories).length, pkg.categories.length);

    const banded = await metadata(await buildTestApp(t, { INDICATOR_AGE_BOUNDS: '5,15' }));
    const bands = byCode(banded.body.categories, 'AGE_GROUP').categoryOptions.map(
      (o: any) => banded.body.categoryOptions.find((x: any) => x.id === o.id).code,
    );
    t.same(bands, ['AGE_GROUP_P0Y_P4Y', 'AGE_GROUP_P5Y_P14Y', 'AGE_GROUP_P15Y_P9999Y']);
  },
);

t.test('the Measures and the package name the same things', async (t) => {
  const res = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Measure' });
  const measures = validFhir(t, res).entry.map((e: any) => e.resource);
  for (const measure of measures) {
    const dataSet = byCode(pkg.dataSets, measure.name);
    t.equal(
      measure.identifier.find((i: any) => i.system === DHIS2_UID).value,
      dataSet.id,
      `${measure.name} UID`,
    );
    for (const group of measure.group) {
      t.ok(
        byCode(pkg.dataElements, group.code.coding[0].code),
        `${group.code.coding[0].code} is a data element`,
      );
      for (const component of group.stratifier?.[0].component ?? []) {
        t.ok(
          byCode(pkg.categories, component.code.coding[0].code),
          `${component.code.coding[0].code} is a category`,
        );
      }
    }
  }
});

t.test('the package needs a token with Measure read', async (t) => {
  const denied = await metadata(kinga, 'system/Patient.rs');
  t.equal(denied.status, 403);
  const anonymous = await kinga.app.inject({ method: 'GET', url: '/dhis2/metadata' });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.headers['content-type'], 'application/problem+json; charset=utf-8');
});

t.test(
  'option combos are listed with the codes and UIDs the JSON export writes, one option per category',
  async (t) => {
    const combos = new Map(pkg.categoryCombos.map((c: any) => [c.id, c]));
    const categoryOf = new Map<string, string>();
    for (const category of pkg.categories) {
      for (const option of category.categoryOptions) {
        categoryOf.set(option.id, category.id);
      }
    }
    const cocs: any[] = pkg.categoryOptionCombos;
    t.ok(cocs.length > 0, `${cocs.length} option combos`);
    t.equal(new Set(cocs.map((c) => c.id)).size, cocs.length, 'no UID twice');
    t.equal(new Set(cocs.map((c) => c.code)).size, cocs.length, 'no code twice');
    t.ok(
      cocs.every((c) => UID.test(c.id) && XML_CODE.test(c.code)),
      'valid UIDs and codes',
    );
    const wellFormed = cocs.every((c) => {
      const combo: any = combos.get(c.categoryCombo.id);
      return (
        combo !== undefined &&
        c.categoryOptions.length === combo.categories.length &&
        c.categoryOptions.every((o: any, i: number) => categoryOf.get(o.id) === combo.categories[i].id)
      );
    });
    t.ok(wellFormed, "each names its combo and one option of each of the combo's categories, in order");
    // The SEX × AGE_GROUP combo of NB_INSUREES: every cell listed (3 × 8 with the default bands).
    const insurees = byCode(pkg.dataElements, 'NB_INSUREES');
    t.equal(cocs.filter((c) => c.categoryCombo.id === insurees.categoryCombo.id).length, 24);
    t.ok(
      byCode(cocs, 'AGE_GROUP_P0Y_P5Y_SEX_F') ?? byCode(cocs, 'SEX_F_AGE_GROUP_P0Y_P5Y'),
      'a cell named by its option codes',
    );
  },
);
