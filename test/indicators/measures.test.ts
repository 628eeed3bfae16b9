import t from 'tap';
import { Categories, DataSets, Indicators } from '../../src/domain/indicator/catalogue.ts';
import { validateProfile } from '../../src/fhir/validation/profile-validator.ts';
import { buildTestApp, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);

const PROFILE = 'https://kinga.health/fhir/StructureDefinition/kinga-measure';
const INDICATOR = 'https://kinga.health/fhir/CodeSystem/indicator';
const CATEGORY = 'https://kinga.health/fhir/CodeSystem/indicator-category';
const POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';
const DHIS2_CODE = 'https://kinga.health/fhir/NamingSystem/dhis2-code';

async function search(query: string, scopes?: string): Promise<any[]> {
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Measure${query}`,
    ...(scopes ? { scopes } : {}),
  });
  t.equal(res.status, 200, `Measure${query}`);
  return validFhir(t, res).entry?.map((e: any) => e.resource) ?? [];
}

const measures = await search('');

t.test('one Measure per data set, each group an indicator, each component a category (mADX)', async (t) => {
  t.same(measures.map((m) => m.name).sort(), Object.keys(DataSets).sort());
  for (const measure of measures) {
    t.same(validateProfile(measure, PROFILE), [], `${measure.name} conforms to kinga-measure`);
    t.equal(measure.status, 'active');
    t.equal(measure.url, `https://kinga.health/fhir/Measure/${measure.name}`);
    t.equal(measure.scoring.coding[0].code, 'cohort');
    t.same(measure.identifier.find((i: any) => i.system === DHIS2_CODE).value, measure.name);
    const subject =
      DataSets[measure.name as keyof typeof DataSets].orgUnits === 'facility' ? 'Organization' : 'Location';
    t.equal(measure.subjectCodeableConcept.coding[0].code, subject);

    const indicators = Indicators.filter((i) => i.dataSet === measure.name);
    t.same(
      measure.group.map((g: any) => g.code.coding[0]),
      indicators.map((i) => ({ system: INDICATOR, code: i.code, display: i.name })),
      `${measure.name}: a group per indicator, coded as the DHIS2 data element`,
    );
    measure.group.forEach((group: any, index: number) => {
      const indicator = indicators[index]!;
      t.same(
        group.population.map((p: any) => p.code.coding[0].system),
        [POPULATION],
      );
      t.equal(group.population[0].code.coding[0].code, 'initial-population');
      if (indicator.categories.length === 0) {
        t.notOk(group.stratifier, `${indicator.code} has no disaggregation`);
        return;
      }
      t.equal(group.stratifier.length, 1);
      t.same(
        group.stratifier[0].component.map((c: any) => c.code.coding[0]),
        indicator.categories.map((c) => ({ system: CATEGORY, code: c, display: Categories[c].name })),
        `${indicator.code}: its disaggregations, in order`,
      );
    });
  }
});

t.test('read by id; search by url, name, identifier and title', async (t) => {
  const enrolment = measures.find((m) => m.name === 'ENROLMENT');
  const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Measure/${enrolment.id}` });
  t.equal(read.status, 200);
  t.same(validFhir(t, read), enrolment);
  t.equal(read.headers['etag'], `W/"${enrolment.meta.versionId}"`);

  t.same(
    (await search(`?url=${encodeURIComponent(enrolment.url)}`)).map((m) => m.id),
    [enrolment.id],
  );
  t.same(
    (await search('?name=PROCESSED')).map((m) => m.name),
    ['PROCESSED_CLAIM'],
  );
  t.same(
    (await search(`?identifier=${encodeURIComponent(`${DHIS2_CODE}|MONITORING`)}`)).map((m) => m.name),
    ['MONITORING'],
  );
  t.same(
    (await search('?title=scheme')).map((m) => m.name),
    ['MONITORING'],
  );
  t.same(
    (await search('?_sort=name')).map((m) => m.name),
    ['ENROLMENT', 'MONITORING', 'PROCESSED_CLAIM'],
  );
  t.same(await search('?status=retired'), []);
  t.equal((await search('?_count=1')).length, 1);

  const missing = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/Measure/3f2b1c7e-0000-4000-8000-000000000000',
  });
  t.equal(missing.status, 404);
  validFhir(t, missing);
});

t.test('the catalogue is read-only: writes are 405; the CapabilityStatement says so', async (t) => {
  const enrolment = measures.find((m) => m.name === 'ENROLMENT');
  const post = await kinga.fhir({ method: 'POST', url: '/fhir/R4/Measure', body: enrolment });
  t.equal(post.status, 405);
  t.match(validFhir(t, post).issue[0].diagnostics, /indicator catalogue/);
  const put = await kinga.fhir({ method: 'PUT', url: `/fhir/R4/Measure/${enrolment.id}`, body: enrolment });
  t.equal(put.status, 405);
  const remove = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Measure/${enrolment.id}` });
  t.equal(remove.status, 405);

  const metadata = await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata', anonymous: true });
  const resource = validFhir(t, metadata).rest[0].resource.find((r: any) => r.type === 'Measure');
  t.equal(resource.profile, PROFILE);
  t.same(resource.interaction.map((i: any) => i.code).sort(), [
    'history-instance',
    'read',
    'search-type',
    'vread',
  ]);
  t.same(resource.searchParam.map((p: any) => p.name).sort(), [
    '_id',
    '_lastUpdated',
    'identifier',
    'name',
    'status',
    'title',
    'url',
  ]);
});

t.test('publishing again at start writes no new version; history has the one published', async (t) => {
  const second = await buildTestApp(t);
  const enrolment = measures.find((m) => m.name === 'ENROLMENT');
  const read = await second.fhir({ method: 'GET', url: `/fhir/R4/Measure/${enrolment.id}` });
  t.same(validFhir(t, read).meta, enrolment.meta, 'same version, same lastUpdated');
  const history = await second.fhir({ method: 'GET', url: `/fhir/R4/Measure/${enrolment.id}/_history` });
  const versions = validFhir(t, history).entry.map((e: any) => e.resource.meta.versionId);
  t.same(versions, [enrolment.meta.versionId]);
});

t.test('reading Measures needs a token with Measure read', async (t) => {
  const anonymous = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Measure', anonymous: true });
  t.equal(anonymous.status, 401);
  const other = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Measure', scopes: 'system/Patient.rs' });
  t.equal(other.status, 403);
  t.equal((await search('', 'system/Measure.rs')).length, 3);
});
