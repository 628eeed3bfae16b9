import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { MedicalItem } from '../../src/domain/medical/medical-item.entity.ts';
import { MedicalService } from '../../src/domain/medical/medical-service.entity.ts';
import { ProductCoverage } from '../../src/domain/product/product-coverage.entity.ts';
import { Product } from '../../src/domain/product/product.entity.ts';
import { republishPlanStatuses } from '../../src/fhir/insurance-plan/republish-plan-status.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { todayIn } from '../../src/platform/jobs/scheme-today.ts';
import { buildTestApp, unique, validFhir } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const CURRENCY = kinga.config.CURRENCY;

const K = 'https://kinga.health/fhir';
const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const UCUM = 'http://unitsofmeasure.org';
const ISO4217 = 'urn:iso:std:iso:4217';
const PROFILE = `${K}/StructureDefinition/kinga-insurance-plan`;
const CODE_SYSTEM = `${K}/NamingSystem/product-code`;
const IDENTIFIER_TYPES = `${IG}/CodeSystem/openimis-identifiers`;
const EXT = {
  startCycle: `${IG}/StructureDefinition/insurance-plan-start-cycle`,
  maxInstallments: `${IG}/StructureDefinition/insurance-plan-max-installments`,
  conversion: `${IG}/StructureDefinition/insurance-plan-conversion`,
  administration: `${K}/StructureDefinition/insurance-plan-administration-period`,
  enrolmentGrace: `${K}/StructureDefinition/insurance-plan-enrolment-grace-period`,
  renewalGrace: `${K}/StructureDefinition/insurance-plan-renewal-grace-period`,
  paymentGrace: `${K}/StructureDefinition/insurance-plan-payment-grace-period`,
  enrolmentDiscount: `${K}/StructureDefinition/insurance-plan-enrolment-discount`,
  renewalDiscount: `${K}/StructureDefinition/insurance-plan-renewal-discount`,
  interpretation: `${K}/StructureDefinition/insurance-plan-ceiling-interpretation`,
  relative: `${K}/StructureDefinition/insurance-plan-relative-pricing`,
  covered: `${K}/StructureDefinition/insurance-plan-covered`,
  priceOrigin: `${K}/StructureDefinition/insurance-plan-price-origin`,
  exclusion: `${K}/StructureDefinition/insurance-plan-ceiling-exclusion`,
};
const CS = {
  planType: 'http://terminology.hl7.org/CodeSystem/insurance-plan-type',
  benefitLimit: `${IG}/CodeSystem/insurance-plan-coverage-benefit-limit`,
  generalCost: `${IG}/CodeSystem/insurance-plan-general-cost-type`,
  coverageCategory: `${IG}/CodeSystem/coverage-item-category`,
  limit: `${K}/CodeSystem/insurance-plan-benefit-limit`,
  age: `${K}/CodeSystem/insurance-plan-age-group`,
  category: `${K}/CodeSystem/service-category`,
  scope: `${K}/CodeSystem/insurance-plan-cost-scope`,
  basis: `${K}/CodeSystem/insurance-plan-cost-basis`,
  costType: `${K}/CodeSystem/insurance-plan-cost-type`,
  priceOrigin: `${K}/CodeSystem/price-origin`,
  exclusion: `${K}/CodeSystem/ceiling-exclusion`,
  interpretation: `${K}/CodeSystem/ceiling-interpretation`,
  relative: `${K}/CodeSystem/relative-pricing-period`,
};

const coding = (system: string, code: string, display?: string) => ({
  coding: [{ system, code, ...(display ? { display } : {}) }],
});
const MEDICAL = coding(CS.planType, 'medical', 'Medical');
const months = (value: number) => ({ value, unit: 'months', system: UCUM, code: 'mo' });
const pct = (value: number) => ({ value, unit: '%', system: UCUM, code: '%' });
const amount = (value: number) => ({ value, unit: CURRENCY, system: ISO4217, code: CURRENCY });
const limit = (code: string, display: string, value: unknown) => ({
  value,
  code: coding(CS.limit, code, display),
});
const visits = (other: unknown, referral: unknown, emergency: unknown) => [
  limit('other', 'Limit per provision, other visits', other),
  limit('referral', 'Limit per provision, referral visits', referral),
  limit('emergency', 'Limit per provision, emergency visits', emergency),
];
const provisions = (n: number) =>
  limit('provisions', 'Provisions per insurance period', { value: n, unit: 'provisions' });
const waiting = (n: number) => limit('waiting-period', 'Waiting period', months(n));
const codeIdentifier = (code: string) => ({
  use: 'usual',
  type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] },
  system: CODE_SYSTEM,
  value: code,
});

async function created(type: string, body: unknown): Promise<any> {
  const res = await kinga.fhir({ method: 'POST', url: `/fhir/R4/${type}`, body });
  if (res.status !== 201) {
    throw new Error(`${type} create failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

async function location(type: string, parentId?: string): Promise<string> {
  const body = await created('Location', {
    resourceType: 'Location',
    identifier: [{ type: { coding: [{ system: IDENTIFIER_TYPES, code: 'Code' }] }, value: unique('L') }],
    name: `Plan ${type}`,
    physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: type }] },
    ...(parentId ? { partOf: { reference: `Location/${parentId}` } } : {}),
  });
  return body.id;
}

/** Medical items and services come from another register: written directly, not through their FHIR module. */
async function medical(kind: 'item' | 'service'): Promise<string> {
  return inTransaction(kinga.database.orm.em.fork(), { actor: 'test' }, async (em) => {
    const record =
      kind === 'item'
        ? em.create(MedicalItem, { code: unique('I'), name: 'Paracetamol 500 mg', type: 'D', price: '12.50' })
        : em.create(MedicalService, {
            code: unique('S'),
            name: 'Consultation',
            type: 'C',
            level: 'V',
            category: 'C',
            price: '2500.00',
          });
    await em.flush();
    return record.id;
  });
}

const region = await location('R');
const district = await location('D', region);
const village = await location('V', await location('W', district));
const [itemA, itemB] = [await medical('item'), await medical('item')].sort();
const service = await medical('service');

/** The smallest product: code, name and window; everything else at its default. */
function minimalPlan(code = unique('P'), levers: Record<string, unknown> = {}): Record<string, any> {
  return {
    resourceType: 'InsurancePlan',
    identifier: [codeIdentifier(code)],
    name: `Plan ${code}`,
    period: { start: '2020-01-01', end: '2099-12-31' },
    ...levers,
  };
}

const conversion = await created('InsurancePlan', minimalPlan());

/**
 * A product with every lever set, in exactly the shape Kinga publishes (displays included), so
 * what is read back must equal what was sent, apart from id, meta, the UUID identifier and status.
 */
function fullPlan(code: string): Record<string, any> {
  return {
    resourceType: 'InsurancePlan',
    extension: [
      { url: EXT.startCycle, valueString: '01-01' },
      { url: EXT.startCycle, valueString: '01-04' },
      { url: EXT.startCycle, valueString: '01-07' },
      { url: EXT.startCycle, valueString: '01-10' },
      { url: EXT.maxInstallments, valueUnsignedInt: 3 },
      { url: EXT.conversion, valueReference: { reference: `InsurancePlan/${conversion.id}` } },
      { url: EXT.administration, valueQuantity: months(1) },
      { url: EXT.enrolmentGrace, valueQuantity: months(2) },
      { url: EXT.renewalGrace, valueQuantity: months(3) },
      { url: EXT.paymentGrace, valueQuantity: months(4) },
      {
        url: EXT.enrolmentDiscount,
        extension: [
          { url: 'percentage', valueDecimal: 12.5 },
          { url: 'period', valueQuantity: months(1) },
        ],
      },
      {
        url: EXT.renewalDiscount,
        extension: [
          { url: 'percentage', valueDecimal: 5 },
          { url: 'period', valueQuantity: months(2) },
        ],
      },
      {
        url: EXT.interpretation,
        valueCodeableConcept: coding(
          CS.interpretation,
          'H',
          'Hospital: in-patient means treated at a hospital-level facility',
        ),
      },
      {
        url: EXT.relative,
        extension: [
          { url: 'period', valueCodeableConcept: coding(CS.relative, 'Q', 'Quarterly') },
          { url: 'in-patient-period', valueCodeableConcept: coding(CS.relative, 'M', 'Monthly') },
          { url: 'out-patient-period', valueCodeableConcept: coding(CS.relative, 'Y', 'Yearly') },
          { url: 'distribution', valueDecimal: 20 },
          { url: 'distribution', valueDecimal: 30 },
          { url: 'distribution', valueDecimal: 25.5 },
          { url: 'distribution', valueDecimal: 24.5 },
        ],
      },
    ],
    identifier: [codeIdentifier(code)],
    type: [MEDICAL],
    name: 'Family health cover',
    period: { start: '2020-01-01', end: '2099-12-31' },
    coverageArea: [{ reference: `Location/${district}` }],
    coverage: [
      {
        type: MEDICAL,
        benefit: [
          {
            type: MEDICAL,
            limit: [
              {
                value: { value: 12, unit: 'month', system: UCUM, code: 'mo' },
                code: coding(CS.benefitLimit, 'period', 'Period'),
              },
              {
                value: { value: 10, unit: 'member' },
                code: coding(CS.benefitLimit, 'memberCount', 'Member Count'),
              },
            ],
          },
          {
            type: coding(CS.category, 'C', 'Consultation'),
            limit: [
              limit('claims', 'Claims per insuree', { value: 12, unit: 'claims' }),
              limit('amount', 'Amount per insuree', amount(30000)),
            ],
          },
          {
            type: coding(CS.category, 'S', 'Surgery'),
            limit: [limit('amount', 'Amount per insuree', amount(500000.5))],
          },
          {
            type: coding(CS.category, 'D', 'Delivery'),
            limit: [limit('claims', 'Claims per insuree', { value: 2, unit: 'claims' })],
          },
          {
            type: coding(CS.category, 'H', 'Hospitalization'),
            limit: [
              limit('claims', 'Claims per insuree', { value: 3, unit: 'claims' }),
              limit('amount', 'Amount per insuree', amount(800000)),
            ],
          },
          {
            type: coding(CS.category, 'V', 'Visit'),
            limit: [limit('claims', 'Claims per insuree', { value: 20, unit: 'claims' })],
          },
          {
            type: coding(CS.category, 'A', 'Antenatal'),
            limit: [limit('claims', 'Claims per insuree', { value: 4, unit: 'claims' })],
          },
        ],
      },
      {
        extension: [
          { url: EXT.covered, valueReference: { reference: `Medication/${itemA}` } },
          { url: EXT.priceOrigin, valueCodeableConcept: coding(CS.priceOrigin, 'O', "Provider's own price") },
        ],
        type: coding(CS.coverageCategory, 'item', 'Item'),
        benefit: [
          {
            extension: [
              { url: EXT.exclusion, valueCodeableConcept: coding(CS.exclusion, 'H', 'In-patient ceilings') },
            ],
            type: coding(CS.age, 'adult', 'Adult'),
            limit: [...visits(pct(80), amount(1500.75), pct(100)), provisions(4), waiting(3)],
          },
          {
            extension: [
              {
                url: EXT.exclusion,
                valueCodeableConcept: coding(CS.exclusion, 'B', 'In- and out-patient ceilings'),
              },
            ],
            type: coding(CS.age, 'child', 'Child'),
            limit: [...visits(pct(90), amount(2000), pct(100)), provisions(6), waiting(0)],
          },
        ],
      },
      {
        extension: [
          { url: EXT.covered, valueReference: { reference: `Medication/${itemB}` } },
          { url: EXT.priceOrigin, valueCodeableConcept: coding(CS.priceOrigin, 'P', 'Price list') },
        ],
        type: coding(CS.coverageCategory, 'item', 'Item'),
        benefit: [
          {
            type: coding(CS.age, 'adult', 'Adult'),
            limit: [...visits(pct(100), pct(100), pct(100)), waiting(0)],
          },
          {
            type: coding(CS.age, 'child', 'Child'),
            limit: [...visits(pct(100), pct(100), pct(100)), waiting(0)],
          },
        ],
      },
      {
        extension: [
          { url: EXT.covered, valueReference: { reference: `ActivityDefinition/${service}` } },
          { url: EXT.priceOrigin, valueCodeableConcept: coding(CS.priceOrigin, 'R', 'Relative price') },
        ],
        type: coding(CS.coverageCategory, 'service', 'Service'),
        benefit: [
          {
            type: coding(CS.age, 'adult', 'Adult'),
            limit: [...visits(pct(70), pct(85.25), amount(10000)), provisions(0), waiting(12)],
          },
          {
            extension: [
              { url: EXT.exclusion, valueCodeableConcept: coding(CS.exclusion, 'N', 'Out-patient ceilings') },
            ],
            type: coding(CS.age, 'child', 'Child'),
            limit: [...visits(pct(75), pct(100), amount(0)), waiting(6)],
          },
        ],
      },
    ],
    plan: [
      {
        generalCost: [
          {
            type: coding(CS.generalCost, 'lumpsum', 'Lumpsum'),
            groupSize: 5,
            cost: { value: 3500, currency: CURRENCY },
          },
          {
            type: coding(CS.generalCost, 'premiumAdult', 'Premium Adult'),
            cost: { value: 700.5, currency: CURRENCY },
          },
          {
            type: coding(CS.generalCost, 'premiumChild', 'Premium Child'),
            cost: { value: 350.25, currency: CURRENCY },
          },
          {
            type: coding(CS.generalCost, 'registrationLumpsum', 'Registration Lumpsum'),
            cost: { value: 1000, currency: CURRENCY },
          },
          {
            type: coding(CS.generalCost, 'registrationFee', 'Registration Fee'),
            cost: { value: 100, currency: CURRENCY },
          },
          {
            type: coding(CS.generalCost, 'generalAssemblyLumpSum', 'General Assembly Lumpsum'),
            cost: { value: 200, currency: CURRENCY },
          },
          {
            type: coding(CS.generalCost, 'generalAssemblyFee', 'General Assembly Fee'),
            cost: { value: 20, currency: CURRENCY },
          },
        ],
        specificCost: [
          {
            category: coding(CS.scope, 'general', 'All care'),
            benefit: [
              {
                type: coding(CS.basis, 'treatment', 'Per treatment (claim)'),
                cost: [
                  { type: coding(CS.costType, 'deductible', 'Deductible'), value: amount(100) },
                  { type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(50000) },
                ],
              },
              {
                type: coding(CS.basis, 'policy', 'Per policy and insurance period'),
                cost: [{ type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(1000000) }],
              },
              {
                type: coding(CS.basis, 'extra-member', 'Added per member above the threshold'),
                cost: [{ type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(100000) }],
              },
              {
                type: coding(CS.basis, 'policy-maximum', 'Most the policy ceiling may reach'),
                cost: [{ type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(1500000) }],
              },
            ],
          },
          {
            category: coding(CS.scope, 'in-patient', 'In-patient care'),
            benefit: [
              {
                type: coding(CS.basis, 'insuree', 'Per insuree and insurance period'),
                cost: [
                  { type: coding(CS.costType, 'deductible', 'Deductible'), value: amount(250.5) },
                  { type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(400000) },
                ],
              },
              {
                type: coding(CS.basis, 'policy', 'Per policy and insurance period'),
                cost: [{ type: coding(CS.costType, 'deductible', 'Deductible'), value: amount(500) }],
              },
              {
                type: coding(CS.basis, 'extra-member', 'Added per member above the threshold'),
                cost: [{ type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(60000) }],
              },
            ],
          },
          {
            category: coding(CS.scope, 'out-patient', 'Out-patient care'),
            benefit: [
              {
                type: coding(CS.basis, 'treatment', 'Per treatment (claim)'),
                cost: [{ type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(20000) }],
              },
              {
                type: coding(CS.basis, 'insuree', 'Per insuree and insurance period'),
                cost: [{ type: coding(CS.costType, 'deductible', 'Deductible'), value: amount(0) }],
              },
              {
                type: coding(CS.basis, 'policy-maximum', 'Most the policy ceiling may reach'),
                cost: [{ type: coding(CS.costType, 'ceiling', 'Ceiling'), value: amount(700000) }],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** What was sent, as it is published: with id, meta, the UUID identifier first and the status. */
function published(sent: Record<string, any>, id: string, status = 'active'): Record<string, any> {
  return {
    ...sent,
    id,
    meta: { profile: [PROFILE] },
    identifier: [
      { type: { coding: [{ system: IDENTIFIER_TYPES, code: 'UUID' }] }, value: id },
      ...sent.identifier,
    ],
    status,
  };
}

function withoutVersion(resource: Record<string, any>): Record<string, any> {
  const { meta, ...rest } = resource;
  return { ...rest, meta: { profile: meta.profile } };
}

/** The stored levers of a product and its lines, as the registers keep them. */
async function storedLevers(id: string): Promise<Record<string, any>> {
  const em = kinga.database.orm.em.fork();
  const product = await em.findOneOrFail(Product, { id });
  const lines = await em.find(ProductCoverage, { product: id }, { orderBy: { limitAdult: 'asc' } });
  const {
    id: _id,
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    deletedAt: _d,
    ...levers
  } = JSON.parse(JSON.stringify(product));
  return {
    ...levers,
    lines: lines.map((line) => {
      const { id: _lineId, product: _p, ...rest } = JSON.parse(JSON.stringify(line));
      return rest;
    }),
  };
}

t.test(
  'a product with every lever set round-trips exactly: create, read, create again from what was read',
  async (t) => {
    const code = unique('FULL');
    const sent = fullPlan(code);
    const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/InsurancePlan', body: sent });
    t.equal(res.status, 201, JSON.stringify(res.body.issue ?? ''));
    const body = validFhir(t, res);
    t.same(withoutVersion(body), published(sent, body.id), 'published exactly as sent');
    t.equal(body.meta.versionId, '1');

    const read = await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan/${body.id}` });
    t.same(validFhir(t, read), body, 'read returns what create answered');

    t.same(
      await storedLevers(body.id),
      {
        code,
        name: 'Family health cover',
        location: district,
        dateFrom: '2020-01-01',
        dateTo: '2099-12-31',
        conversionProduct: conversion.id,
        insurancePeriodMonths: 12,
        administrationPeriodMonths: 1,
        startCycles: ['01-01', '01-04', '01-07', '01-10'],
        gracePeriodEnrolmentMonths: 2,
        gracePeriodRenewalMonths: 3,
        gracePeriodPaymentMonths: 4,
        lumpSum: '3500.00',
        threshold: 5,
        maxMembers: 10,
        premiumAdult: '700.50',
        premiumChild: '350.25',
        registrationLumpSum: '1000.00',
        registrationFee: '100.00',
        generalAssemblyLumpSum: '200.00',
        generalAssemblyFee: '20.00',
        enrolmentDiscountPercent: '12.50',
        enrolmentDiscountPeriodMonths: 1,
        renewalDiscountPercent: '5.00',
        renewalDiscountPeriodMonths: 2,
        maxInstallments: 3,
        deductiblePerTreatment: { general: '100.00', inPatient: null, outPatient: null },
        deductiblePerInsuree: { general: null, inPatient: '250.50', outPatient: '0.00' },
        deductiblePerPolicy: { general: null, inPatient: '500.00', outPatient: null },
        ceilingPerTreatment: { general: '50000.00', inPatient: null, outPatient: '20000.00' },
        ceilingPerInsuree: { general: null, inPatient: '400000.00', outPatient: null },
        ceilingPerPolicy: { general: '1000000.00', inPatient: null, outPatient: null },
        ceilingPerExtraMember: { general: '100000.00', inPatient: '60000.00', outPatient: null },
        ceilingPolicyMaximum: { general: '1500000.00', inPatient: null, outPatient: '700000.00' },
        ceilingInterpretation: 'H',
        categoryLimits: {
          consultationCount: 12,
          surgeryCount: null,
          deliveryCount: 2,
          hospitalizationCount: 3,
          visitCount: 20,
          antenatalCount: 4,
          consultationAmount: '30000.00',
          surgeryAmount: '500000.50',
          deliveryAmount: null,
          hospitalizationAmount: '800000.00',
          antenatalAmount: null,
        },
        relativePricingPeriod: 'Q',
        relativePricingPeriodInPatient: 'M',
        relativePricingPeriodOutPatient: 'Y',
        relativePricingDistribution: ['20.00', '30.00', '25.50', '24.50'],
        lines: [
          {
            item: null,
            service,
            priceOrigin: 'R',
            limitationType: 'C',
            limitationTypeReferral: 'C',
            limitationTypeEmergency: 'F',
            limitAdult: '70.00',
            limitAdultReferral: '85.25',
            limitAdultEmergency: '10000.00',
            limitChild: '75.00',
            limitChildReferral: '100.00',
            limitChildEmergency: '0.00',
            maxProvisionsAdult: 0,
            maxProvisionsChild: null,
            waitingPeriodAdultMonths: 12,
            waitingPeriodChildMonths: 6,
            ceilingExclusionAdult: null,
            ceilingExclusionChild: 'N',
          },
          {
            item: itemA,
            service: null,
            priceOrigin: 'O',
            limitationType: 'C',
            limitationTypeReferral: 'F',
            limitationTypeEmergency: 'C',
            limitAdult: '80.00',
            limitAdultReferral: '1500.75',
            limitAdultEmergency: '100.00',
            limitChild: '90.00',
            limitChildReferral: '2000.00',
            limitChildEmergency: '100.00',
            maxProvisionsAdult: 4,
            maxProvisionsChild: 6,
            waitingPeriodAdultMonths: 3,
            waitingPeriodChildMonths: 0,
            ceilingExclusionAdult: 'H',
            ceilingExclusionChild: 'B',
          },
          {
            item: itemB,
            service: null,
            priceOrigin: 'P',
            limitationType: 'C',
            limitationTypeReferral: 'C',
            limitationTypeEmergency: 'C',
            limitAdult: '100.00',
            limitAdultReferral: '100.00',
            limitAdultEmergency: '100.00',
            limitChild: '100.00',
            limitChildReferral: '100.00',
            limitChildEmergency: '100.00',
            maxProvisionsAdult: null,
            maxProvisionsChild: null,
            waitingPeriodAdultMonths: 0,
            waitingPeriodChildMonths: 0,
            ceilingExclusionAdult: null,
            ceilingExclusionChild: null,
          },
        ],
      },
      'every lever is stored as sent',
    );

    const again = await kinga.fhir({
      method: 'PUT',
      url: `/fhir/R4/InsurancePlan/${body.id}`,
      body: read.body,
    });
    t.equal(again.status, 200);
    t.equal(validFhir(t, again).meta.versionId, '1', 'putting back what was read changes nothing');

    const copyCode = unique('COPY');
    const { id: _id, meta: _meta, ...copy } = read.body;
    copy.identifier = [codeIdentifier(copyCode)];
    const second = await kinga.fhir({ method: 'POST', url: '/fhir/R4/InsurancePlan', body: copy });
    t.equal(second.status, 201);
    const secondBody = validFhir(t, second);
    t.same(
      withoutVersion(secondBody),
      published({ ...sent, identifier: [codeIdentifier(copyCode)] }, secondBody.id),
      'a product created from a published InsurancePlan is the same product',
    );
    const { code: _a, ...firstLevers } = await storedLevers(body.id);
    const { code: _b, ...secondLevers } = await storedLevers(secondBody.id);
    t.same(secondLevers, firstLevers);
  },
);

t.test('a product without optional levers publishes the defaults', async (t) => {
  const code = unique('MIN');
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/InsurancePlan', body: minimalPlan(code) });
  t.equal(res.status, 201);
  const body = validFhir(t, res);
  t.same(body.extension, [
    { url: EXT.administration, valueQuantity: months(0) },
    { url: EXT.enrolmentGrace, valueQuantity: months(0) },
    { url: EXT.renewalGrace, valueQuantity: months(0) },
    { url: EXT.paymentGrace, valueQuantity: months(0) },
    {
      url: EXT.interpretation,
      valueCodeableConcept: coding(CS.interpretation, 'I', 'In-patient: a claim spanning at least one night'),
    },
  ]);
  t.same(body.coverage, [
    {
      type: MEDICAL,
      benefit: [
        {
          type: MEDICAL,
          limit: [
            {
              value: { value: 12, unit: 'month', system: UCUM, code: 'mo' },
              code: coding(CS.benefitLimit, 'period', 'Period'),
            },
          ],
        },
      ],
    },
  ]);
  t.same(body.plan, [
    {
      generalCost: [
        {
          type: coding(CS.generalCost, 'premiumAdult', 'Premium Adult'),
          cost: { value: 0, currency: CURRENCY },
        },
        {
          type: coding(CS.generalCost, 'premiumChild', 'Premium Child'),
          cost: { value: 0, currency: CURRENCY },
        },
      ],
    },
  ]);
  t.notOk(body.coverageArea, 'a national product has no coverage area');
});

const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/openimis/${name}`, import.meta.url), 'utf8'));
const extension = (resource: any, url: string) => resource.extension.filter((e: any) => e.url === url);
const generalCost = (resource: any, code: string) =>
  resource.plan[0].generalCost.find((c: any) => c.type.coding[0].code === code);

t.test('the openIMIS module fixture (test_insurance_plan.json) is accepted as sent', async (t) => {
  const res = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/InsurancePlan',
    body: fixture('insurance-plan-example-1.json'),
  });
  t.equal(res.status, 201, JSON.stringify(res.body.issue ?? ''));
  const plan = validFhir(t, res);
  t.equal(plan.identifier[1].value, 'TEST0001');
  t.equal(plan.name, 'Test Product');
  t.same(plan.period, { start: '2017-01-01', end: '2030-12-31' }, 'midnight without a zone is the date');
  t.same(extension(plan, EXT.maxInstallments), [{ url: EXT.maxInstallments, valueUnsignedInt: 3 }]);
  t.same(
    extension(plan, EXT.enrolmentGrace)[0].valueQuantity,
    months(1),
    'openIMIS reads its first period as the enrolment grace period',
  );
  t.same(
    extension(plan, EXT.renewalDiscount)[0].extension,
    [
      { url: 'percentage', valueDecimal: 40 },
      { url: 'period', valueQuantity: months(1) },
    ],
    'the first openIMIS discount is the renewal discount',
  );
  t.same(extension(plan, EXT.enrolmentDiscount)[0].extension, [
    { url: 'percentage', valueDecimal: 30 },
    { url: 'period', valueQuantity: months(1) },
  ]);
  t.same(
    plan.coverage[0].benefit[0].limit.map((l: any) => l.value.value),
    [12, 9999],
    'period and member count',
  );
  t.same(
    generalCost(plan, 'lumpsum'),
    {
      type: coding(CS.generalCost, 'lumpsum', 'Lumpsum'),
      groupSize: 6,
      cost: { value: 0, currency: CURRENCY },
    },
    'amounts are in the scheme currency, whatever openIMIS called it ($)',
  );
  t.equal(generalCost(plan, 'premiumAdult').cost.value, 4000);
  t.equal(generalCost(plan, 'premiumChild').cost.value, 4000);
  t.equal(generalCost(plan, 'registrationLumpsum').cost.value, 1000);
  t.equal(generalCost(plan, 'generalAssemblyLumpSum').cost.value, 1000);
  t.equal(plan.status, todayIn(kinga.config.SCHEME_TIME_ZONE) <= '2030-12-31' ? 'active' : 'retired');
  const removed = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/InsurancePlan/${plan.id}` });
  t.equal(removed.status, 204);
});

t.test('the IG example (InsurancePlan-RX01) is accepted once its region exists', async (t) => {
  const example = fixture('insurance-plan-example-2.json');
  // The IG's examples name each other by logical id (Location/Upper-River-Region); Kinga's ids are UUIDs.
  example.coverageArea = [{ reference: `Location/${region}` }];
  const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/InsurancePlan', body: example });
  t.equal(res.status, 201, JSON.stringify(res.body.issue ?? ''));
  const plan = validFhir(t, res);
  t.not(plan.id, 'RX01', 'create assigns the id');
  t.equal(plan.identifier[1].value, 'RX01');
  t.equal(plan.name, 'Regional fixed enrolment');
  t.same(plan.period, { start: '2016-10-01', end: '2030-01-01' });
  t.same(plan.coverageArea, [{ reference: `Location/${region}` }]);
  t.same(
    extension(plan, EXT.startCycle).map((e: any) => e.valueString),
    ['01-03', '01-07', '01-10'],
  );
  t.same(generalCost(plan, 'lumpsum').groupSize, 3);
  t.same(
    plan.plan[0].generalCost.map((c: any) => [c.type.coding[0].code, c.cost.value]),
    [
      ['lumpsum', 10000],
      ['premiumAdult', 1000],
      ['premiumChild', 500],
      ['registrationFee', 3000],
    ],
  );
  t.equal(plan.coverage[0].benefit[0].limit.length, 1, 'no member cap: no memberCount limit');
  const removed = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/InsurancePlan/${plan.id}` });
  t.equal(removed.status, 204);
});

/** Finds the coverage element of `target` in a plan being built. */
function lineOf(plan: Record<string, any>, target: string): Record<string, any> {
  return plan.coverage.find((c: any) => c.extension?.[0]?.valueReference?.reference === target);
}

function mutate(change: (plan: Record<string, any>) => void): (code: string) => Record<string, any> {
  return (code) => {
    const plan = fullPlan(code);
    change(plan);
    return plan;
  };
}

const lineAt = (target: string) =>
  `InsurancePlan.coverage.where(extension('${EXT.covered}').value.reference = '${target}')`;

t.test('each rule is refused with a 4xx naming the element, and nothing is stored', async (t) => {
  const taken = unique('TAKEN');
  await created('InsurancePlan', minimalPlan(taken));
  const cases: [string, (code: string) => Record<string, any>, number, string | RegExp, RegExp][] = [
    ['a code already used', () => minimalPlan(taken), 409, 'InsurancePlan.identifier', /already used/],
    ['no code', mutate((p) => (p.identifier = [])), 422, /InsurancePlan\.identifier/, /required/],
    ['no name', mutate((p) => delete p.name), 422, /InsurancePlan\.name/, /required/],
    [
      'sold until before it is first sold',
      mutate((p) => (p.period = { start: '2025-06-01', end: '2025-05-31' })),
      422,
      'InsurancePlan.period.end',
      /before it is first sold/,
    ],
    [
      'not a calendar date',
      mutate((p) => (p.period.start = '2025-02-30')),
      422,
      'InsurancePlan.period.start',
      /not a calendar date/,
    ],
    [
      'a cycle start that is not DD-MM',
      mutate((p) => (p.extension[0].valueString = '31-02')),
      422,
      `InsurancePlan.extension('${EXT.startCycle}')`,
      /31-02 is not a day and month/,
    ],
    [
      'five enrolment cycles',
      mutate((p) => p.extension.unshift({ url: EXT.startCycle, valueString: '15-05' })),
      422,
      /insurance-plan-start-cycle/,
      /at most 4/,
    ],
    [
      'the same cycle twice',
      mutate((p) => (p.extension[1].valueString = '01-01')),
      422,
      `InsurancePlan.extension('${EXT.startCycle}')`,
      /listed twice/,
    ],
    [
      'a threshold above the member cap',
      mutate((p) => (p.plan[0].generalCost[0].groupSize = 11)),
      422,
      "InsurancePlan.plan.generalCost.where(type.coding.code = 'lumpsum').groupSize",
      /covers 11 members, more than the 10/,
    ],
    [
      'a negative premium',
      mutate((p) => (p.plan[0].generalCost[1].cost.value = -1)),
      422,
      "InsurancePlan.plan.generalCost.where(type.coding.code = 'premiumAdult').cost",
      /cannot be negative/,
    ],
    [
      'a fee in thousandths',
      mutate((p) => (p.plan[0].generalCost[4].cost.value = 100.125)),
      422,
      "InsurancePlan.plan.generalCost.where(type.coding.code = 'registrationFee').cost",
      /not an amount of money/,
    ],
    [
      'a negative ceiling',
      mutate((p) => (p.plan[0].specificCost[1].benefit[2].cost[0].value.value = -60000)),
      422,
      "InsurancePlan.plan.specificCost.where(category.coding.code = 'in-patient').benefit.where(type.coding.code = 'extra-member').cost.where(type.coding.code = 'ceiling').value",
      /cannot be negative/,
    ],
    [
      'a discount above 100 %',
      mutate((p) => (p.extension[10].extension[0].valueDecimal = 120)),
      422,
      `InsurancePlan.extension('${EXT.enrolmentDiscount}').extension('percentage')`,
      /percentage from 0 to 100/,
    ],
    [
      'an insurance period of no months',
      mutate((p) => (p.coverage[0].benefit[0].limit[0].value.value = 0)),
      422,
      "InsurancePlan.coverage.benefit.limit.where(code.coding.code = 'period').value",
      /whole number of at least 1/,
    ],
    [
      'a grace period in days',
      mutate((p) => (p.extension[7].valueQuantity = { value: 30, unit: 'days', system: UCUM, code: 'd' })),
      422,
      'InsurancePlan.extension[7].valueQuantity',
      /counted in months/,
    ],
    [
      'co-insurance above 100 %',
      mutate((p) => (lineOf(p, `Medication/${itemA}`).benefit[0].limit[0].value.value = 150)),
      422,
      `${lineAt(`Medication/${itemA}`)}.benefit.where(type.coding.code = 'adult').limit.where(code.coding.code = 'other').value`,
      /percentage from 0 to 100/,
    ],
    [
      'a negative fixed limit',
      mutate((p) => (lineOf(p, `ActivityDefinition/${service}`).benefit[1].limit[2].value.value = -5)),
      422,
      `${lineAt(`ActivityDefinition/${service}`)}.benefit.where(type.coding.code = 'child').limit.where(code.coding.code = 'emergency').value`,
      /cannot be negative/,
    ],
    [
      'a co-insurance limit for adults and a fixed one for children',
      mutate((p) => (lineOf(p, `Medication/${itemB}`).benefit[1].limit[0].value = amount(500))),
      422,
      /InsurancePlan\.coverage\[2\]\.benefit\[1\]\.limit\[0\]\.value/,
      /one limitation type per visit type/,
    ],
    [
      'a negative waiting period',
      mutate((p) => (lineOf(p, `Medication/${itemA}`).benefit[1].limit[4].value.value = -1)),
      422,
      `${lineAt(`Medication/${itemA}`)}.benefit.where(type.coding.code = 'child').limit.where(code.coding.code = 'waiting-period').value`,
      /whole number of at least 0/,
    ],
    [
      'a medical item that does not exist',
      mutate(
        (p) =>
          (lineOf(p, `Medication/${itemB}`).extension[0].valueReference.reference =
            `Medication/${randomUUID()}`),
      ),
      422,
      /insurance-plan-covered'\)\.value\.reference = 'Medication\/[0-9a-f-]+'\)\.extension\('https:\/\/kinga\.health\/fhir\/StructureDefinition\/insurance-plan-covered'\)$/,
      /Medical item [0-9a-f-]+ does not exist/,
    ],
    [
      'a medical service given as a Medication',
      mutate(
        (p) =>
          (lineOf(p, `Medication/${itemB}`).extension[0].valueReference.reference = `Medication/${service}`),
      ),
      422,
      /insurance-plan-covered/,
      /Medical item .* does not exist/,
    ],
    [
      'the same item covered twice',
      mutate((p) => p.coverage.push(structuredClone(lineOf(p, `Medication/${itemA}`)))),
      422,
      lineAt(`Medication/${itemA}`),
      /covered twice/,
    ],
    [
      'a coverage line that covers a Patient',
      mutate(
        (p) =>
          (lineOf(p, `Medication/${itemB}`).extension[0].valueReference.reference =
            `Patient/${randomUUID()}`),
      ),
      422,
      /InsurancePlan\.coverage\[2\]\.extension/,
      /Medication or ActivityDefinition/,
    ],
    [
      'a conversion product that does not exist',
      mutate((p) => (p.extension[5].valueReference.reference = `InsurancePlan/${randomUUID()}`)),
      422,
      `InsurancePlan.extension('${EXT.conversion}')`,
      /Conversion product .* does not exist/,
    ],
    [
      'sold in a village',
      mutate((p) => (p.coverageArea = [{ reference: `Location/${village}` }])),
      422,
      'InsurancePlan.coverageArea',
      /not in a Village/,
    ],
    [
      'two coverage areas',
      mutate((p) => p.coverageArea.push({ reference: `Location/${region}` })),
      422,
      /InsurancePlan\.coverageArea/,
      /./,
    ],
  ];
  for (const [name, build, status, expression, message] of cases) {
    t.test(name, async (t) => {
      const code = unique('BAD');
      const res = await kinga.fhir({ method: 'POST', url: '/fhir/R4/InsurancePlan', body: build(code) });
      t.equal(res.status, status, JSON.stringify(res.body));
      const outcome = validFhir(t, res);
      t.equal(outcome.resourceType, 'OperationOutcome');
      const issue = outcome.issue[0];
      t.equal(issue.severity, 'error');
      if (typeof expression === 'string') {
        t.same(issue.expression, [expression]);
      } else {
        t.match(issue.expression?.[0], expression);
      }
      t.match(issue.diagnostics ?? issue.details?.text, message);
      const stored = await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan?identifier=${code}` });
      t.same(validFhir(t, stored).entry ?? [], [], 'nothing was stored');
    });
  }
});

t.test('conversion: not the product itself, no loop, and a conversion target stays while used', async (t) => {
  const a = await created('InsurancePlan', minimalPlan());
  const b = await created(
    'InsurancePlan',
    minimalPlan(unique('P'), {
      extension: [{ url: EXT.conversion, valueReference: { reference: `InsurancePlan/${a.id}` } }],
    }),
  );
  const self = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/InsurancePlan/${a.id}`,
    body: {
      ...a,
      extension: [{ url: EXT.conversion, valueReference: { reference: `InsurancePlan/${a.id}` } }],
    },
  });
  t.equal(self.status, 422);
  t.same(validFhir(t, self).issue[0].expression, [`InsurancePlan.extension('${EXT.conversion}')`]);
  t.match(self.body.issue[0].diagnostics, /cannot convert into itself/);

  const loop = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/InsurancePlan/${a.id}`,
    body: {
      ...a,
      extension: [{ url: EXT.conversion, valueReference: { reference: `InsurancePlan/${b.id}` } }],
    },
  });
  t.equal(loop.status, 422);
  t.match(validFhir(t, loop).issue[0].diagnostics, /loops back to this product/);
  const unchanged = await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan/${a.id}` });
  t.equal(unchanged.body.meta.versionId, '1', 'the refused updates stored nothing');

  const retire = await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/InsurancePlan/${a.id}` });
  t.equal(retire.status, 422);
  t.match(validFhir(t, retire).issue[0].diagnostics, /converts into/);

  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/InsurancePlan/${b.id}` })).status, 204);
  t.equal((await kinga.fhir({ method: 'DELETE', url: `/fhir/R4/InsurancePlan/${a.id}` })).status, 204);
  const gone = await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan/${a.id}` });
  t.equal(gone.status, 410);
  const reused = await kinga.fhir({
    method: 'POST',
    url: '/fhir/R4/InsurancePlan',
    body: minimalPlan(a.identifier[1].value),
  });
  t.equal(reused.status, 201, 'a retired product frees its code');
});

t.test('changing coverage lines makes a new version of the InsurancePlan; history keeps each', async (t) => {
  const plan = fullPlan(unique('HIST'));
  plan.coverage = [plan.coverage[0], lineOf(plan, `Medication/${itemA}`)];
  const v1 = await created('InsurancePlan', plan);
  const put = async (body: Record<string, any>, version: string) => {
    const res = await kinga.fhir({
      method: 'PUT',
      url: `/fhir/R4/InsurancePlan/${v1.id}`,
      body: { ...body, id: v1.id },
      headers: { 'if-match': `W/"${version}"` },
    });
    t.equal(res.status, 200, JSON.stringify(res.body.issue ?? ''));
    return validFhir(t, res);
  };
  const full = fullPlan(v1.identifier[1].value);
  const withService = {
    ...plan,
    coverage: [...plan.coverage, lineOf(full, `ActivityDefinition/${service}`)],
  };
  const v2 = await put(withService, '1');
  t.equal(v2.meta.versionId, '2', 'a line added');
  t.equal(v2.coverage.length, 3);

  const changed = structuredClone(withService);
  lineOf(changed, `Medication/${itemA}`).benefit[0].limit[0].value.value = 60;
  const v3 = await put(changed, '2');
  t.equal(v3.meta.versionId, '3', 'a limit changed');
  t.equal(lineOf(v3, `Medication/${itemA}`).benefit[0].limit[0].value.value, 60);

  const same = await put(changed, '3');
  t.equal(same.meta.versionId, '3', 'the same lines again: no new version');

  const v4 = await put(
    { ...changed, coverage: [changed.coverage[0], lineOf(full, `ActivityDefinition/${service}`)] },
    '3',
  );
  t.equal(v4.meta.versionId, '4', 'a line removed');
  t.notOk(lineOf(v4, `Medication/${itemA}`));

  const stale = await kinga.fhir({
    method: 'PUT',
    url: `/fhir/R4/InsurancePlan/${v1.id}`,
    body: { ...plan, id: v1.id },
    headers: { 'if-match': 'W/"2"' },
  });
  t.equal(stale.status, 412, 'an update from a stale copy is refused');

  const history = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan/${v1.id}/_history` }),
  );
  t.same(
    history.entry.map((e: any) => [e.resource.meta.versionId, e.resource.coverage.length]),
    [
      ['4', 2],
      ['3', 3],
      ['2', 3],
      ['1', 2],
    ],
  );
  const first = validFhir(
    t,
    await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan/${v1.id}/_history/1` }),
  );
  t.equal(
    lineOf(first, `Medication/${itemA}`).benefit[0].limit[0].value.value,
    80,
    'version 1 keeps its limit',
  );
});

t.test('search by identifier, name, status, period, coverage area and covered item or service', async (t) => {
  const name = unique('Searchable');
  const current = await created('InsurancePlan', {
    ...fullPlan(unique('CUR')),
    name: `${name} current`,
  });
  const past = await created(
    'InsurancePlan',
    minimalPlan(unique('OLD'), {
      name: `${name} past`,
      period: { start: '2010-01-01', end: '2011-12-31' },
      coverageArea: [{ reference: `Location/${region}` }],
    }),
  );
  const future = await created(
    'InsurancePlan',
    minimalPlan(unique('NEW'), {
      name: `${name} future`,
      period: { start: '2098-01-01', end: '2099-12-31' },
    }),
  );
  t.equal(past.status, 'retired');
  t.equal(future.status, 'draft');
  t.equal(current.status, 'active');

  const search = async (query: string): Promise<string[]> => {
    const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan?${query}` });
    t.equal(res.status, 200, `${query}: ${JSON.stringify(res.body.issue ?? '')}`);
    return (validFhir(t, res).entry ?? []).map((e: any) => e.resource.id).sort();
  };
  const all = [current.id, past.id, future.id].sort();
  const code = current.identifier[1].value;
  t.same(await search(`identifier=${code}`), [current.id], 'identifier: code');
  t.same(await search(`identifier=${encodeURIComponent(`${CODE_SYSTEM}|${code}`)}`), [current.id]);
  t.same(await search(`identifier=${current.id}`), [current.id], 'identifier: UUID');
  t.same(await search(`identifier=${unique('NONE')}`), [], 'identifier: no match');
  t.same(await search(`name=${name.toLowerCase()}`), all, 'name: starts with, any case');
  t.same(await search(`name=${unique('Nowhere')}`), []);
  t.same(await search(`name=${name}&status=active`), [current.id], 'status active');
  t.same(await search(`name=${name}&status=retired`), [past.id]);
  t.same(await search(`name=${name}&status=draft`), [future.id]);
  t.same(await search(`name=${name}&status=draft,retired`), [past.id, future.id].sort());
  t.same(
    await search(`name=${name}&period-start=le2026-01-01&period-end=ge2026-01-01`),
    [current.id],
    'sold on a date',
  );
  t.same(await search(`name=${name}&period-end=lt2012-01-01`), [past.id]);
  t.same(await search(`name=${name}&period-start=gt2099-01-01`), []);
  t.same(await search(`name=${name}&coverage-area=Location/${region}`), [past.id]);
  t.same(await search(`name=${name}&coverage-area=${district}`), [current.id]);
  t.same(await search(`name=${name}&coverage-area=${village}`), []);
  t.same(await search(`name=${name}&covered=Medication/${itemA}`), [current.id], 'covered: an item');
  t.same(
    await search(`name=${name}&covered=ActivityDefinition/${service}`),
    [current.id],
    'covered: a service',
  );
  t.same(await search(`name=${name}&covered=Medication/${randomUUID()}`), []);
  t.same(await search(`name=${name}&_sort=period-start&_count=1`).then((ids) => ids.length), 1);

  const bad = await kinga.fhir({ method: 'GET', url: '/fhir/R4/InsurancePlan?period-start=soon' });
  t.equal(bad.status, 400);
  validFhir(t, bad);
});

t.test('a status the calendar changed is republished as a new version', async (t) => {
  const plan = await created('InsurancePlan', minimalPlan());
  // As if the product was published while its window had not yet opened.
  await kinga.database.pool.query(
    `update fhir_resource set content = replace(content, '"status":"active"', '"status":"draft"') where resource_type = 'InsurancePlan' and id = $1`,
    [plan.id],
  );
  const today = todayIn(kinga.config.SCHEME_TIME_ZONE);
  const ids = await republishPlanStatuses(kinga.database.orm.em, today);
  t.ok(ids.includes(plan.id), 'the stale plan was found');
  const read = validFhir(t, await kinga.fhir({ method: 'GET', url: `/fhir/R4/InsurancePlan/${plan.id}` }));
  t.equal(read.status, 'active');
  t.equal(read.meta.versionId, '2');
  t.notOk((await republishPlanStatuses(kinga.database.orm.em, today)).includes(plan.id), 'once is enough');
});
