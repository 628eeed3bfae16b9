/**
 * Builders of policies through the API (InsurancePlan, Patient, Group, Contract, PaymentNotice) and
 * readers of what Coverage, Contract and PaymentNotice publish, for the test/fhir policy tests.
 */
import type { Test } from 'tap';
import { practitioner } from './scheme-fixtures.ts';
import { unique, validFhir, type FhirResponse, type TestApp } from './test-app.ts';

export const K = 'https://kinga.health/fhir';
export const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';

export const EXT = {
  status: `${K}/StructureDefinition/policy-status`,
  stage: `${K}/StructureDefinition/policy-stage`,
  account: `${K}/StructureDefinition/policy-account`,
  enrolmentDate: `${K}/StructureDefinition/coverage-enrolment-date`,
  effectiveDate: `${K}/StructureDefinition/coverage-effective-date`,
  insurancePlan: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Coverage.insurancePlan',
  renews: `${K}/StructureDefinition/contract-renews`,
  premium: `${IG}/StructureDefinition/contract-premium`,
  kind: `${K}/StructureDefinition/premium-entry-kind`,
  payType: `${K}/StructureDefinition/premium-pay-type`,
  counterpart: `${K}/StructureDefinition/premium-counterpart`,
};

export const SYSTEM = {
  policy: `${K}/NamingSystem/policy`,
  receipt: `${K}/NamingSystem/premium-receipt`,
  policyStatus: `${K}/CodeSystem/policy-status`,
  productCode: `${K}/NamingSystem/product-code`,
  payType: `${IG}/CodeSystem/contract-premium-type`,
};

const UCUM = 'http://unitsofmeasure.org';

/** POST (or PUT) that must create: the resource created, checked as valid R4. */
export async function createdValid(
  t: Test,
  kinga: TestApp,
  type: string,
  body: unknown,
  method: 'POST' | 'PUT' = 'POST',
): Promise<any> {
  const url = method === 'PUT' ? `/fhir/R4/${type}/${(body as { id: string }).id}` : `/fhir/R4/${type}`;
  const res = await kinga.fhir({ method, url, body });
  if (res.status !== 201) {
    throw new Error(`${method} ${type}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return validFhir(t, res, `${type} created`);
}

/** An enrolment officer (Practitioner, qualification EO). */
export async function newOfficer(t: Test, kinga: TestApp): Promise<any> {
  return createdValid(t, kinga, 'Practitioner', practitioner('EO'));
}
const coding = (system: string, code: string) => ({ coding: [{ system, code }] });

export interface Levers {
  premiumAdult?: number;
  premiumChild?: number;
  lumpSum?: number;
  threshold?: number;
  maxMembers?: number;
  /** First day on sale (default 2000-01-01). */
  from?: string;
}

/** A national product sold from `from` to 2099, 12 months of cover, free enrolment. */
export async function product(t: Test, kinga: TestApp, levers: Levers = {}): Promise<any> {
  const currency = kinga.config.CURRENCY;
  const cost = (code: string, value: number, groupSize?: number) => ({
    type: coding(`${IG}/CodeSystem/insurance-plan-general-cost-type`, code),
    ...(groupSize === undefined ? {} : { groupSize }),
    cost: { value, currency },
  });
  const benefitLimit = `${IG}/CodeSystem/insurance-plan-coverage-benefit-limit`;
  const limit: unknown[] = [
    { value: { value: 12, unit: 'months', system: UCUM, code: 'mo' }, code: coding(benefitLimit, 'period') },
  ];
  if (levers.maxMembers !== undefined) {
    limit.push({
      value: { value: levers.maxMembers, unit: 'member' },
      code: coding(benefitLimit, 'memberCount'),
    });
  }
  const medical = coding('http://terminology.hl7.org/CodeSystem/insurance-plan-type', 'medical');
  return createdValid(t, kinga, 'InsurancePlan', {
    resourceType: 'InsurancePlan',
    identifier: [{ system: SYSTEM.productCode, value: unique('PR') }],
    name: unique('Afya '),
    period: { start: levers.from ?? '2000-01-01', end: '2099-12-31' },
    coverage: [{ type: medical, benefit: [{ type: medical, limit }] }],
    plan: [
      {
        generalCost: [
          ...(levers.lumpSum === undefined ? [] : [cost('lumpsum', levers.lumpSum, levers.threshold)]),
          cost('premiumAdult', levers.premiumAdult ?? 0),
          cost('premiumChild', levers.premiumChild ?? 0),
        ],
      },
    ],
  });
}

export function patientBody(kinga: TestApp, birthDate: string, number = unique('N')): Record<string, any> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: kinga.config.INSURANCE_NUMBER_SYSTEM, value: number }],
    name: [{ family: 'Kimaro', given: [unique('Neema ')] }],
    gender: 'female',
    birthDate,
  };
}

export async function person(t: Test, kinga: TestApp, birthDate = '1980-01-01'): Promise<any> {
  return createdValid(t, kinga, 'Patient', patientBody(kinga, birthDate));
}

/** The members as Group.member references; the first heads the family. */
export function groupBody(memberRefs: string[]): Record<string, any> {
  return {
    resourceType: 'Group',
    type: 'person',
    actual: true,
    member: memberRefs.map((reference) => ({ entity: { reference } })),
  };
}

/** A family of people born on `birthDates` (the first heads it), registered through the API. */
export async function family(
  t: Test,
  kinga: TestApp,
  birthDates: string[],
): Promise<{ group: any; members: any[] }> {
  const members = [];
  for (const birthDate of birthDates) {
    members.push(await person(t, kinga, birthDate));
  }
  const group = await createdValid(t, kinga, 'Group', groupBody(members.map((m) => `Patient/${m.id}`)));
  return { group, members };
}

export interface PremiumSent {
  amount: number;
  date: string;
  receipt?: string;
  type?: string;
  currency?: string;
}

export function premiumExtension(kinga: TestApp, premium: PremiumSent): Record<string, any> {
  return {
    url: EXT.premium,
    extension: [
      {
        url: 'amount',
        valueMoney: { value: premium.amount, currency: premium.currency ?? kinga.config.CURRENCY },
      },
      { url: 'date', valueDate: premium.date },
      { url: 'receipt', valueString: premium.receipt ?? unique('R') },
      { url: 'type', valueCodeableConcept: coding(SYSTEM.payType, premium.type ?? 'C') },
    ],
  };
}

export interface ContractSent {
  subject: string;
  planId: string;
  issued?: string;
  officerId?: string;
  premiums?: PremiumSent[];
  members?: string[];
  value?: number;
  period?: { start?: string; end?: string };
  usePeriod?: { start?: string; end?: string };
  legalState?: string;
  renews?: string;
  status?: string;
}

/** A Contract in openIMIS's enrolment shape; only what is given is stated. */
export function contractBody(kinga: TestApp, sent: ContractSent): Record<string, any> {
  return {
    resourceType: 'Contract',
    ...(sent.renews
      ? { extension: [{ url: EXT.renews, valueReference: { reference: `Contract/${sent.renews}` } }] }
      : {}),
    ...(sent.status ? { status: sent.status } : {}),
    ...(sent.legalState ? { legalState: { text: sent.legalState } } : {}),
    ...(sent.issued ? { issued: sent.issued } : {}),
    subject: [{ reference: sent.subject }],
    ...(sent.officerId ? { author: { reference: `Practitioner/${sent.officerId}` } } : {}),
    term: [
      {
        offer: { text: 'Enrolment' },
        asset: [
          {
            ...(sent.premiums ? { extension: sent.premiums.map((p) => premiumExtension(kinga, p)) } : {}),
            ...(sent.members ? { typeReference: sent.members.map((reference) => ({ reference })) } : {}),
            ...(sent.period ? { period: [sent.period] } : {}),
            ...(sent.usePeriod ? { usePeriod: [sent.usePeriod] } : {}),
            valuedItem: [
              {
                entityReference: { reference: `InsurancePlan/${sent.planId}` },
                ...(sent.value === undefined ? {} : { net: { value: sent.value } }),
              },
            ],
          },
        ],
      },
    ],
  };
}

export async function contract(t: Test, kinga: TestApp, sent: ContractSent): Promise<any> {
  return createdValid(t, kinga, 'Contract', contractBody(kinga, sent));
}

export interface NoticeSent {
  contractId: string;
  amount: number;
  date: string;
  receipt?: string;
  status?: string;
}

export function noticeBody(kinga: TestApp, sent: NoticeSent): Record<string, any> {
  const receipt = sent.receipt ?? unique('R');
  return {
    resourceType: 'PaymentNotice',
    status: sent.status ?? 'active',
    identifier: [{ system: SYSTEM.receipt, value: receipt }],
    request: { reference: `Contract/${sent.contractId}` },
    created: '2024-06-01',
    payment: { identifier: { system: SYSTEM.receipt, value: receipt } },
    paymentDate: sent.date,
    recipient: { display: 'The insurer' },
    amount: { value: sent.amount, currency: kinga.config.CURRENCY },
    paymentStatus: coding('http://terminology.hl7.org/CodeSystem/paymentstatus', 'cleared'),
  };
}

export async function pay(t: Test, kinga: TestApp, sent: NoticeSent): Promise<any> {
  return createdValid(t, kinga, 'PaymentNotice', noticeBody(kinga, sent));
}

/** The policy-account extension as numbers. */
export function account(resource: any): { value: number; paid: number; balance: number; credit: number } {
  const extension = resource.extension.find((e: any) => e.url === EXT.account);
  const part = (name: string) => extension.extension.find((e: any) => e.url === name).valueMoney.value;
  return { value: part('value'), paid: part('paid'), balance: part('balance'), credit: part('credit') };
}

export function policyStatus(resource: any): string {
  return resource.extension.find((e: any) => e.url === EXT.status).valueCoding.code;
}

export function extensionValue(resource: any, url: string): any {
  const found = resource.extension?.find((e: any) => e.url === url);
  return (
    found && (found.valueDate ?? found.valueReference ?? found.valueCoding ?? found.valueCodeableConcept)
  );
}

/** The Coverages of a policy, by beneficiary. */
export async function coveragesOf(t: Test, kinga: TestApp, contractId: string): Promise<Map<string, any>> {
  const res = await kinga.fhir({ method: 'GET', url: `/fhir/R4/Coverage?contract=${contractId}&_count=100` });
  if (res.status !== 200) {
    throw new Error(`Coverage search: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const bundle = validFhir(t, res, 'Coverage searchset');
  return new Map((bundle.entry ?? []).map((e: any) => [e.resource.beneficiary.reference, e.resource]));
}

export async function read(kinga: TestApp, url: string): Promise<FhirResponse> {
  return kinga.fhir({ method: 'GET', url: `/fhir/R4/${url}` });
}

/** The ids of a searchset's matches (the Bundle checked as valid R4). */
export function ids(t: Test, res: FhirResponse): string[] {
  t.equal(res.status, 200, 'searched');
  const bundle = validFhir(t, res, 'searchset');
  return (bundle.entry ?? []).filter((e: any) => e.search?.mode !== 'include').map((e: any) => e.resource.id);
}
