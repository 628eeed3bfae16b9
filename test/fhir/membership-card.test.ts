import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { PNG } from 'pngjs';
import t, { type Test } from 'tap';
import { Family } from '../../src/domain/insuree/family.entity.ts';
import { Insuree } from '../../src/domain/insuree/insuree.entity.ts';
import { InsureePolicy } from '../../src/domain/policy/insuree-policy.entity.ts';
import { Policy } from '../../src/domain/policy/policy.entity.ts';
import { AmountGrids, Product } from '../../src/domain/product/product.entity.ts';
import { todayIsoDate } from '../../src/domain/shared/dates.ts';
import { signHealthCard, toShcUri } from '../../src/fhir/card/health-card.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { assertValidFhir } from '../helpers/fhir-validator.ts';
import { readPdf, qrTextOf, type PdfPage } from '../helpers/pdf-reader.ts';
import { area, created, enrolmentOfficer, IG } from '../helpers/scheme-fixtures.ts';
import { buildTestApp, unique, validFhir, type TestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const DAY = 86_400_000;
const start = todayIsoDate(new Date(Date.now() - 30 * DAY));
const expiry = todayIsoDate(new Date(Date.now() + 300 * DAY));

/** A 24 × 30 PNG, the insuree's photo. */
function photoPng(): string {
  const png = new PNG({ width: 24, height: 30 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data.set([180, 120, 60, 255], i);
  }
  return PNG.sync.write(png).toString('base64');
}

async function patient(family: string, given: string, extra: Record<string, unknown> = {}): Promise<any> {
  return created(kinga, 'Patient', {
    resourceType: 'Patient',
    identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('C') }],
    name: [{ family, given: [given] }],
    birthDate: '1984-07-12',
    ...extra,
  });
}

const places = await area(kinga, 1);
const village = places.villages[0];
const insurerName = `Mfuko wa Afya ${unique()}`;
await created(kinga, 'Organization', {
  resourceType: 'Organization',
  identifier: [{ system: 'https://kinga.health/fhir/NamingSystem/insurer-code', value: unique('INS') }],
  type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'ins' }] }],
  name: insurerName,
});

// A family in the village: the head, and a spouse with a photo; both covered by an active policy.
const head = await patient('Mushi', 'Joseph');
const spouse = await patient('Mushi', 'Rehema', {
  photo: [{ contentType: 'image/png', data: photoPng() }],
  extension: [
    {
      url: 'https://kinga.health/fhir/StructureDefinition/relationship-to-head',
      valueCodeableConcept: {
        coding: [{ system: `${IG}/CodeSystem/patient-contact-relationship`, code: '8' }],
      },
    },
  ],
});
const family = await created(kinga, 'Group', {
  resourceType: 'Group',
  extension: [
    {
      url: `${IG}/StructureDefinition/group-address`,
      valueAddress: {
        extension: [
          {
            url: `${IG}/StructureDefinition/address-location-reference`,
            valueReference: { reference: `Location/${village.id}` },
          },
        ],
      },
    },
  ],
  identifier: [
    {
      type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] },
      value: head.identifier[0].value,
    },
  ],
  type: 'person',
  actual: true,
  member: [
    { entity: { reference: `Patient/${head.id}` } },
    { entity: { reference: `Patient/${spouse.id}` } },
  ],
});
// A long insurance number: a card prints it whole.
const uninsured = await patient('Lyimo', 'Baraka', {
  identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: unique('LONG').padEnd(40, '9') }],
});

/** The policy, written as the enrolment use cases would leave it (the Coverage API comes later). */
const productCode = unique('PR');
const productName = 'Afya Bora Family Cover';
await inTransaction(kinga.database.orm.em.fork(), { actor: 'test' }, async (tx) => {
  const product = tx.create(Product, {
    code: productCode,
    name: productName,
    dateFrom: '2020-01-01',
    dateTo: '2099-12-31',
    startCycles: [],
    ...Object.fromEntries(AmountGrids.map((grid) => [grid, {}])),
    categoryLimits: {},
  } as never);
  const policy = tx.create(Policy, {
    family: tx.getReference(Family, family.id),
    product,
    stage: 'N',
    status: 'active',
    value: '120000.00',
    enrolDate: start,
    startDate: start,
    effectiveDate: start,
    expiryDate: expiry,
  });
  for (const id of [head.id, spouse.id]) {
    tx.create(InsureePolicy, {
      insuree: tx.getReference(Insuree, id),
      policy,
      enrolDate: start,
      startDate: start,
      effectiveDate: start,
      expiryDate: expiry,
      coverThreshold: '120000.00',
    });
  }
});

async function pdf(t: Test, method: 'GET' | 'POST', url: string, body?: unknown): Promise<PdfPage[]> {
  const res = await kinga.fhir({ method, url, body, headers: { accept: 'application/pdf' } });
  t.equal(res.status, 200, `${method} ${url}: ${res.status === 200 ? '' : JSON.stringify(res.body)}`);
  t.equal(res.headers['content-type'], 'application/pdf');
  const bytes = res.raw.rawPayload;
  t.equal(bytes.subarray(0, 5).toString(), '%PDF-', 'a PDF');
  return readPdf(bytes);
}

async function jwks(app: TestApp = kinga): Promise<JWK[]> {
  const res = await app.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  t.equal(res.headers['access-control-allow-origin'], '*', 'verifiers read the keys from any origin');
  return res.json<{ keys: JWK[] }>().keys;
}

/** What any SMART Health Cards verifier does with a QR text: decode, find the key, verify, inflate. */
async function verifyOffline(t: Test, shc: string): Promise<any> {
  t.match(shc, /^shc:\/(\d\d)+$/, 'a shc:/ numeric QR');
  const digits = shc.slice(5);
  const jws = (digits.match(/\d\d/g) ?? []).map((pair) => String.fromCharCode(Number(pair) + 45)).join('');
  t.ok(jws.length <= 1195, `the JWS fits one version-22 QR (${jws.length} characters)`);
  const header = decodeProtectedHeader(jws);
  t.same({ alg: header.alg, zip: header.zip }, { alg: 'ES256', zip: 'DEF' });
  const key = (await jwks()).find((k) => k.kid === header.kid);
  t.ok(key, 'the kid is published at /.well-known/jwks.json');
  t.match(key, { kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' });
  t.notOk(key!.d, 'no private member');
  t.equal(await calculateJwkThumbprint(key!, 'sha256'), header.kid, 'the kid is the RFC 7638 thumbprint');
  const { payload } = await compactVerify(jws, await importJWK(key!, 'ES256'));
  const claims = JSON.parse(inflateRawSync(payload).toString('utf8'));
  t.equal(claims.iss, 'http://kinga.test', 'issued by the scheme');
  t.ok(Math.abs(claims.nbf * 1000 - Date.now()) < 60_000, 'issued now');
  t.same(claims.vc.type, ['https://smarthealth.cards#health-card']);
  t.equal(claims.vc.credentialSubject.fhirVersion, '4.0.1');
  assertValidFhir(t, claims.vc.credentialSubject.fhirBundle, 'the bundle in the card');
  return claims;
}

const resources = (bundle: any): any[] => bundle.entry.map((e: any) => e.resource);

t.test('GET $card: an ID-1 PDF with name, number, product, photo and a verifiable QR', async (t) => {
  const [page, ...more] = await pdf(t, 'GET', `/fhir/R4/Patient/${spouse.id}/$card`);
  t.equal(more.length, 0, 'one page');
  t.ok(
    Math.abs(page!.widthMm - 85.6) < 0.01 && Math.abs(page!.heightMm - 53.98) < 0.01,
    `ID-1 size (${page!.widthMm} × ${page!.heightMm} mm)`,
  );
  t.match(page!.text, 'Rehema Mushi');
  t.match(page!.text, spouse.identifier[0].value);
  t.match(page!.text, productName);
  t.match(page!.text, insurerName);
  t.match(page!.text, expiry, 'covered until the expiry');
  t.equal(page!.images.length, 2, 'the photo and the QR');
  t.ok(
    page!.images.some((i) => i.width === 24 && i.height === 30),
    'the photo is the Patient.photo',
  );

  const claims = await verifyOffline(t, qrTextOf(page!)!);
  t.equal(claims.exp, Date.parse(`${expiry}T00:00:00Z`) / 1000 + 86_400, 'the card expires with the cover');
  const [member, coverage, payor, holder] = resources(claims.vc.credentialSubject.fhirBundle);
  t.same(
    claims.vc.credentialSubject.fhirBundle.entry.map((e: any) => e.fullUrl),
    ['resource:0', 'resource:1', 'resource:2', 'resource:3'],
  );
  t.same(
    member,
    {
      resourceType: 'Patient',
      identifier: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB' }] },
          system: kinga.config.INSURANCE_NUMBER_SYSTEM,
          value: spouse.identifier[0].value,
        },
      ],
      name: [{ family: 'Mushi', given: ['Rehema'] }],
      birthDate: '1984-07-12',
    },
    'minimal identity: no id, meta, photo or address',
  );
  t.equal(coverage.resourceType, 'Coverage');
  t.equal(coverage.status, 'active');
  t.same(coverage.beneficiary, { reference: 'resource:0' });
  t.same(coverage.subscriber, { reference: 'resource:3' }, 'the head holds the policy');
  t.equal(coverage.subscriberId, head.identifier[0].value);
  t.equal(coverage.relationship.coding[0].code, 'spouse');
  t.same(coverage.period, { start, end: expiry });
  t.same(coverage.payor, [{ reference: 'resource:2' }]);
  t.same(coverage.identifier[0].assigner, { reference: 'resource:2' });
  t.same(coverage.class, [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
      value: productCode,
      name: productName,
    },
  ]);
  t.equal(payor.resourceType, 'Organization');
  t.equal(payor.name, insurerName);
  t.same(holder.name, [{ family: 'Mushi', given: ['Joseph'] }]);
  t.notOk(
    JSON.stringify(claims).includes('"id"') || JSON.stringify(claims).includes('display'),
    'no ids, no displays',
  );
});

t.test('a card without an active policy says so and carries the Patient only', async (t) => {
  const [page] = await pdf(t, 'GET', `/fhir/R4/Patient/${uninsured.id}/$card`);
  t.match(page!.text, 'no active policy');
  t.match(page!.text, 'Baraka Lyimo');
  t.match(page!.text, uninsured.identifier[0].value, 'the 40-character number is printed whole');
  t.equal(page!.images.length, 1, 'no photo: only the QR');
  const claims = await verifyOffline(t, qrTextOf(page!)!);
  t.notOk('exp' in claims, 'nothing to expire with');
  t.same(
    resources(claims.vc.credentialSubject.fhirBundle).map((r) => r.resourceType),
    ['Patient'],
  );
});

t.test('$health-cards-issue answers the same credential as JSON', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: `/fhir/R4/Patient/${head.id}/$health-cards-issue`,
    body: {
      resourceType: 'Parameters',
      parameter: [{ name: 'credentialType', valueUri: 'https://smarthealth.cards#health-card' }],
    },
  });
  t.equal(res.status, 200);
  const parameters = validFhir(t, res);
  const jws = parameters.parameter.find((p: any) => p.name === 'verifiableCredential').valueString;
  const claims = await verifyOffline(t, toShcUri(jws));
  const [, coverage] = resources(claims.vc.credentialSubject.fhirBundle);
  t.same(coverage.subscriber, { reference: 'resource:0' }, 'the head is their own subscriber');
  t.equal(coverage.relationship.coding[0].code, 'self');
  t.equal(claims.vc.credentialSubject.fhirBundle.entry.length, 3, 'no second Patient');
  t.same(parameters.parameter.find((p: any) => p.name === 'resourceLink').part, [
    { name: 'vcIndex', valueInteger: 0 },
    { name: 'bundledResource', valueUri: 'resource:0' },
    { name: 'hostedResource', valueUri: `http://kinga.test/fhir/R4/Patient/${head.id}` },
  ]);

  const other = await kinga.fhir({
    method: 'POST',
    url: `/fhir/R4/Patient/${head.id}/$health-cards-issue`,
    body: { resourceType: 'Parameters', parameter: [{ name: 'credentialType', valueUri: 'Immunization' }] },
  });
  t.equal(other.status, 200);
  t.same(validFhir(t, other), { resourceType: 'Parameters' }, 'no card of another type');
});

t.test('$verify-health-card: valid cards name what they carry, altered ones are refused', async (t) => {
  const issued = await kinga.fhir({
    method: 'POST',
    url: `/fhir/R4/Patient/${spouse.id}/$health-cards-issue`,
    body: { resourceType: 'Parameters' },
  });
  const jws: string = issued.body.parameter[0].valueString;
  const verify = async (text: string) => {
    const res = await kinga.fhir({
      method: 'POST',
      url: '/fhir/R4/$verify-health-card',
      body: { resourceType: 'Parameters', parameter: [{ name: 'verifiableCredential', valueString: text }] },
    });
    t.equal(res.status, 200);
    const body = validFhir(t, res);
    return Object.fromEntries(
      body.parameter.map((p: any) => [
        p.name,
        p.valueBoolean ?? p.valueString ?? p.valueUri ?? p.valueDateTime ?? p.resource,
      ]),
    );
  };

  const valid = await verify(toShcUri(jws));
  t.equal(valid.valid, true);
  t.equal(valid.issuer, 'http://kinga.test');
  t.equal(valid.expires, new Date(Date.parse(`${expiry}T00:00:00Z`) + DAY).toISOString());
  t.equal(valid.patient.identifier[0].value, spouse.identifier[0].value);
  t.equal(valid.coverage.class[0].value, productCode);
  t.equal((await verify(jws)).valid, true, 'the JWS itself is accepted too');

  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
  const tampered = await verify(toShcUri(`${header}.${flipped}.${signature}`));
  t.equal(tampered.valid, false, 'a card with one altered character is refused');
  t.match(tampered.problem, /signature does not match/);
  t.notOk(tampered.patient, 'nothing of an unverified card is shown');

  const keys = kinga.app.kinga.auth.healthCards;
  const expired = await signHealthCard(keys, {
    iss: 'http://kinga.test',
    nbf: Math.floor(Date.now() / 1000) - 400 * 86_400,
    exp: Math.floor(Date.now() / 1000) - 86_400,
    vc: {
      type: ['https://smarthealth.cards#health-card'],
      credentialSubject: { fhirVersion: '4.0.1', fhirBundle: { resourceType: 'Bundle', type: 'collection' } },
    },
  });
  t.match((await verify(expired)).problem, /expired on/);

  const stranger = await buildTestApp(t, { HEALTH_CARD_ISSUER_KEY: JSON.stringify(await generatedKey()) });
  const foreign = await stranger.fhir({
    method: 'POST',
    url: `/fhir/R4/Patient/${spouse.id}/$health-cards-issue`,
    body: { resourceType: 'Parameters' },
  });
  const refused = await verify(foreign.body.parameter[0].valueString);
  t.equal(refused.valid, false, "a card signed with another issuer's key is refused");
  t.match(refused.problem, /not signed with an issuer key of this scheme/);

  t.match((await verify('shc:/5676290952')).problem, /neither a shc:\/ QR text nor a compact JWS/);
  const missing = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/$verify-health-card',
    body: { resourceType: 'Parameters' },
  });
  t.equal(missing.status, 400);
  t.same(validFhir(t, missing).issue[0].expression, [
    "Parameters.parameter.where(name='verifiableCredential')",
  ]);
});

t.test('the issuer key is its own key, kept across restarts, configured keys included', async (t) => {
  const keys = await jwks();
  const cardKid = kinga.app.kinga.auth.healthCards.signer.kid;
  const tokenKid = kinga.app.kinga.auth.tokens.signingKey.kid;
  t.not(cardKid, tokenKid, 'cards and access tokens are signed with different keys');
  t.ok(keys.some((k) => k.kid === cardKid) && keys.some((k) => k.kid === tokenKid), 'both are published');

  const restarted = await buildTestApp(t);
  t.equal(restarted.app.kinga.auth.healthCards.signer.kid, cardKid, 'the generated issuer key is kept');

  const configured = await generatedKey();
  const withKey = await buildTestApp(t, { HEALTH_CARD_ISSUER_KEY: JSON.stringify(configured) });
  const kid = withKey.app.kinga.auth.healthCards.signer.kid;
  t.equal(
    kid,
    await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: configured.x, y: configured.y }, 'sha256'),
  );
  t.ok(
    (await jwks(withKey)).some((k) => k.kid === kid),
    'the configured key is published',
  );
});

t.test('$cards prints a run: by village, by officer, by list, paged', async (t) => {
  const byVillage = await pdf(t, 'POST', '/fhir/R4/Patient/$cards', {
    resourceType: 'Parameters',
    parameter: [{ name: 'village', valueReference: { reference: `Location/${village.id}` } }],
  });
  const numbers = [head.identifier[0].value, spouse.identifier[0].value].sort();
  t.equal(byVillage.length, 2, 'one page per member of the village');
  t.ok(
    byVillage.every((p) => Math.abs(p.widthMm - 85.6) < 0.01),
    'ID-1 pages',
  );
  t.match(byVillage[0]!.text, numbers[0]);
  t.match(byVillage[1]!.text, numbers[1], 'by insurance number');
  for (const page of byVillage) {
    await verifyOffline(t, qrTextOf(page)!);
  }

  const officer = await enrolmentOfficer(kinga, [village.id]);
  const byOfficer = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient/$cards',
    body: {
      resourceType: 'Parameters',
      parameter: [
        { name: 'officer', valueReference: { reference: `Practitioner/${officer.id}` } },
        { name: 'count', valueInteger: 1 },
        { name: 'offset', valueInteger: 1 },
      ],
    },
  });
  t.equal(byOfficer.status, 200);
  t.equal(byOfficer.headers['x-total-count'], '2', 'the whole selection is counted');
  const second = await readPdf(byOfficer.raw.rawPayload);
  t.equal(second.length, 1, 'one card per page of the run');
  t.match(second[0]!.text, numbers[1]);

  const listed = await pdf(t, 'POST', '/fhir/R4/Patient/$cards', {
    resourceType: 'Parameters',
    parameter: [
      { name: 'patient', valueReference: { reference: `Patient/${uninsured.id}` } },
      { name: 'patient', valueReference: { reference: `Patient/${head.id}` } },
    ],
  });
  t.equal(listed.length, 2);
  t.ok(listed.some((p) => p.text.includes('no active policy')));

  const nothing = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient/$cards',
    body: { resourceType: 'Parameters' },
  });
  t.equal(nothing.status, 400);
  t.match(validFhir(t, nothing).issue[0].diagnostics, /Name the cards to print/);
  const unknown = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/Patient/$cards',
    body: {
      resourceType: 'Parameters',
      parameter: [
        { name: 'patient', valueReference: { reference: 'Patient/01a2a000-0000-7000-8000-000000000000' } },
      ],
    },
  });
  t.equal(unknown.status, 422);
  t.same(validFhir(t, unknown).issue[0].expression, ["Parameters.parameter.where(name='patient')"]);
});

t.test('names in other scripts print with a configured font, accents dropped without', async (t) => {
  const sita = await patient('Thāpā', 'Sītā');
  const [plain] = await pdf(t, 'GET', `/fhir/R4/Patient/${sita.id}/$card`);
  t.match(plain!.text, 'Sita Thapa', 'Helvetica prints Latin-1: accents are dropped, letters kept');

  const font = path.join(
    path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
    'standard_fonts/LiberationSans-Regular.ttf',
  );
  const withFont = await buildTestApp(t, { CARD_FONT_FILE: font });
  const res = await withFont.fhir({ method: 'GET', url: `/fhir/R4/Patient/${sita.id}/$card` });
  t.equal(res.status, 200);
  const [page] = await readPdf(res.raw.rawPayload);
  t.match(page!.text, 'Sītā Thāpā');
});

t.test('cards need a Patient scope; unknown and deleted Patients are 404 and 410', async (t) => {
  const res = await kinga.fhir({
    method: 'GET',
    url: `/fhir/R4/Patient/${head.id}/$card`,
    scopes: 'system/Location.rs',
  });
  t.equal(res.status, 403);
  validFhir(t, res);
  const unknown = await kinga.fhir({
    method: 'GET',
    url: '/fhir/R4/Patient/01a2a000-0000-7000-8000-000000000000/$card',
  });
  t.equal(unknown.status, 404);
  const gone = await patient('Kweka', 'Anna');
  await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/Patient/${gone.id}` });
  t.equal((await kinga.fhir({ method: 'GET', url: `/fhir/R4/Patient/${gone.id}/$card` })).status, 410);
});

t.test('the CapabilityStatement and SMART configuration announce the card operations', async (t) => {
  const statement = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: '/fhir/R4/metadata', anonymous: true }),
  );
  const patientResource = statement.rest[0].resource.find((r: any) => r.type === 'Patient');
  t.same(
    patientResource.operation.map((o: any) => o.name),
    ['card', 'cards', 'health-cards-issue'],
  );
  t.same(
    statement.rest[0].operation.map((o: any) => [o.name, o.definition]),
    [['verify-health-card', 'https://kinga.health/fhir/OperationDefinition/verify-health-card']],
  );
  for (const operation of [...patientResource.operation, ...statement.rest[0].operation]) {
    const id = operation.definition.split('/').pop();
    const res = await kinga.fhir({
      method: 'GET',
      url: `/fhir/R4/OperationDefinition/${id}`,
      anonymous: true,
    });
    t.equal(res.status, 200, id);
    t.equal(validFhir(t, res, id).code, operation.name);
  }
  const smart = await kinga.app.inject({ method: 'GET', url: '/fhir/R4/.well-known/smart-configuration' });
  t.ok(smart.json().capabilities.includes('health-cards'));
});

async function generatedKey(): Promise<JWK> {
  const { generateKeyPair, exportJWK } = await import('jose');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return exportJWK(privateKey);
}
