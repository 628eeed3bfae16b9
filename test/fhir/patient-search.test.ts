import t from 'tap';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const family = unique('Fam');

interface Seeded {
  id: string;
  number: string;
}

async function createPatient(overrides: Record<string, unknown>): Promise<Seeded> {
  const number = unique('S');
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient',
    body: {
      resourceType: 'Patient',
      identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
      name: [{ family, given: ['Ram'] }],
      ...overrides,
    },
  });
  if (res.status !== 201) {
    throw new Error(`seeding ${number} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { id: res.body.id, number };
}

const ids = (bundle: any): string[] =>
  (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'match').map((e: any) => e.resource.id);

async function search(query: string, headers: Record<string, string> = {}): Promise<any> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient?${query}`, headers });
  t.equal(res.status, 200, `GET Patient?${query}`);
  return validFhir(t, res, `searchset for ${query}`);
}

const sita = await createPatient({
  name: [{ family: `${family}Muñoz`, given: ['Sítá', 'Kumari'] }],
  gender: 'female',
  birthDate: '1990-03-24',
  telecom: [{ system: 'phone', value: '+977-9800000001' }],
});
const hari = await createPatient({
  name: [{ family, given: ['Hari'] }],
  gender: 'male',
  birthDate: '1985-12-31',
});
const gita = await createPatient({
  name: [{ family, given: ['Gita'] }],
  gender: 'female',
  birthDate: '2015-06-01',
});

t.test('identifier matches the insurance number with or without its system', async (t) => {
  t.same(ids(await search(`identifier=${sita.number}`)), [sita.id]);
  t.same(
    ids(
      await search(
        `identifier=${encodeURIComponent(`${kinga.config.INSURANCE_NUMBER_SYSTEM}|${sita.number}`)}`,
      ),
    ),
    [sita.id],
  );
  t.same(
    ids(await search(`identifier=${encodeURIComponent(`urn:other|${sita.number}`)}`)),
    [],
    'another system does not match',
  );
  t.same(
    ids(await search(`identifier=${encodeURIComponent(`|${sita.number}`)}`)),
    [],
    '|value means "no system", which it has',
  );
  t.same(ids(await search(`identifier=${encodeURIComponent(`urn:ietf:rfc:3986|urn:uuid:${hari.id}`)}`)), [
    hari.id,
  ]);
  const both = await search(`identifier=${sita.number},${hari.number}`);
  t.same(ids(both).sort(), [sita.id, hari.id].sort(), 'comma means OR');
  t.equal(both.total, 2, 'total is given when the first page holds everything');
});

t.test('string search starts with, ignoring case and accents; :exact and :contains', async (t) => {
  t.same(ids(await search(`family=${family.toLowerCase()}munoz`)), [sita.id]);
  t.same(ids(await search(`given=sita`)).includes(sita.id), true, 'accents on the stored name are ignored');
  t.same(ids(await search(`family:exact=${family}Muñoz`)), [sita.id]);
  t.same(ids(await search(`family:exact=${family.toLowerCase()}muñoz`)), [], ':exact is case-sensitive');
  // The middle of the unique family name: other test files' patients may also contain "uno".
  t.same(ids(await search(`name:contains=${family.slice(1).toUpperCase()}MUÑO`)), [sita.id]);
  t.same(ids(await search(`name=${family}&given=Ha`)), [hari.id], 'two parameters are AND');
  t.same(ids(await search(`family=${encodeURIComponent('%')}`)), [], 'LIKE wildcards are literal');
});

t.test('birthdate with prefixes and partial dates', async (t) => {
  const mine = `family:exact=${family}`;
  t.same(ids(await search(`family=${family}&birthdate=1990`)), [sita.id], 'a year covers the day');
  t.same(ids(await search(`${mine}&birthdate=1990-03`)), ids(await search(`${mine}&birthdate=1990-03-24`)));
  t.same(ids(await search(`${mine}&birthdate=ge2000-01-01`)), [gita.id]);
  t.same(ids(await search(`${mine}&birthdate=lt1986`)), [hari.id]);
  t.same(ids(await search(`${mine}&birthdate=eb1986&_sort=birthdate`)), [hari.id]);
  t.same(ids(await search(`${mine}&birthdate=sa1990-03-24`)), [gita.id]);
  t.same(ids(await search(`${mine}&birthdate=ne1990-03-24&_sort=birthdate`)), [hari.id, gita.id]);
  t.same(
    ids(await search(`${mine}&birthdate=gt1985-12-31&birthdate=le1990-12-31`)),
    [],
    'sita has another family name',
  );
  t.same(
    ids(await search(`family=${family}&birthdate=gt1985-12-31&birthdate=le1990-12-31`)),
    [sita.id],
    'family= is a prefix',
  );
  const bad = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Patient?birthdate=1990-02-30' });
  t.equal(bad.status, 400, 'an impossible date is a 400');
  t.match(validFhir(t, bad).issue[0].diagnostics, /birthdate/);
});

t.test('token searches: gender, phone; :missing and :not', async (t) => {
  const mine = `family:exact=${family}`;
  t.same(ids(await search(`${mine}&gender=female&_sort=birthdate`)), [gita.id]);
  t.same(ids(await search(`${mine}&gender:not=female`)), [hari.id]);
  t.same(ids(await search(`phone=${encodeURIComponent('+977-9800000001')}`)), [sita.id]);
  t.same(ids(await search(`${mine}&phone:missing=true&_sort=birthdate`)), [hari.id, gita.id]);
  t.same(
    ids(
      await search(`gender=${encodeURIComponent('http://hl7.org/fhir/administrative-gender|male')}&${mine}`),
    ),
    [hari.id],
  );
});

t.test('_sort, _summary=count, _total, _lastUpdated', async (t) => {
  const mine = `family:exact=${family}`;
  t.same(ids(await search(`${mine}&_sort=-birthdate`)), [gita.id, hari.id]);
  t.same(ids(await search(`${mine}&_sort=given`)), [gita.id, hari.id]);
  const count = await search(`${mine}&_summary=count`);
  t.equal(count.total, 2);
  t.notOk(count.entry, 'no entries with _summary=count');
  t.equal((await search(`${mine}&_total=accurate&_count=1`)).total, 2);
  const before = new Date(Date.now() - 60 * 60 * 1000).toISOString();
  t.same(ids(await search(`${mine}&_lastUpdated=gt${encodeURIComponent(before)}&_sort=birthdate`)), [
    hari.id,
    gita.id,
  ]);
  t.same(ids(await search(`${mine}&_lastUpdated=lt${encodeURIComponent(before)}`)), []);
});

t.test('unknown parameters are a 400, or ignored and reported under Prefer: handling=lenient', async (t) => {
  const strict = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Patient?colour=blue' });
  t.equal(strict.status, 400);
  t.match(validFhir(t, strict).issue[0].diagnostics, /colour/);
  const lenient = await search(`family:exact=${family}&colour=blue`, { prefer: 'handling=lenient' });
  t.equal(ids(lenient).length, 2);
  const outcome = lenient.entry.find((e: any) => e.search.mode === 'outcome');
  t.match(outcome.resource.issue[0].diagnostics, /colour/);
  t.notMatch(lenient.link[0].url, /colour/, 'the self link shows only the parameters used');
  const badModifier = await kinga.fhir({ method: 'GET', url: '/fhir/R4/Patient?birthdate:exact=1990' });
  t.equal(badModifier.status, 400);
});

t.test('POST _search takes the parameters from a form body', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient/_search',
    body: `identifier=${sita.number}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(res.status, 200);
  t.same(ids(validFhir(t, res)), [sita.id]);
});

t.test('keyset paging: links are followable as-is and stay correct while data is written', async (t) => {
  const pageFamily = unique('Page');
  const created: string[] = [];
  for (let i = 0; i < 7; i++) {
    created.push((await createPatient({ name: [{ family: pageFamily, given: [`P${i}`] }] })).id);
  }
  const seen: string[] = [];
  let url: string | undefined = `/fhir/R4/Patient?family=${pageFamily}&_count=3`;
  let pages = 0;
  let lastPage: any;
  while (url) {
    const res = await kinga.fhir({ method: 'GET', url: url.replace('http://kinga.test', '') });
    t.equal(res.status, 200);
    const bundle = validFhir(t, res);
    seen.push(...ids(bundle));
    pages += 1;
    if (pages === 1) {
      // A record written while a client pages must not shift the pages it has not read yet.
      created.push((await createPatient({ name: [{ family: pageFamily, given: ['Late'] }] })).id);
    }
    lastPage = bundle;
    url = bundle.link.find((l: any) => l.relation === 'next')?.url;
  }
  t.same(seen, created, 'every record once, in order (ids are time-ordered)');
  t.equal(pages, 3);
  const previous = lastPage.link.find((l: any) => l.relation === 'previous').url;
  const back = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: previous.replace('http://kinga.test', '') }),
  );
  t.same(ids(back), created.slice(3, 6), 'previous goes back exactly one page');
});

t.test('_count is capped at 500 and _count=0 answers only the total', async (t) => {
  const zero = await search(`family:exact=${family}&_count=0`);
  t.equal(zero.total, 2);
  t.notOk(zero.entry);
  const big = await search(`family:exact=${family}&_count=100000`);
  t.equal(ids(big).length, 2);
});
