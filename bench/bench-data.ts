import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { ClaimData } from './claim-data.ts';
import type { InsuranceNumberRules } from '../src/domain/insuree/insurance-number.ts';
import { InsuranceNumbers } from '../src/seed/insurance-numbers.ts';

/** Insurance numbers of the benchmark's creates: block 9, apart from the seed's block 1. */
const BENCH_NUMBER_BLOCK = 9;

export interface BenchData {
  patientIds: string[];
  insuranceNumbers: string[];
  /** A new patient's JSON: a seeded one without id, meta or family; `{{number}}` marks the number. */
  newPatientTemplate: string;
  nextNumber: () => string;
  /** A body for the insert ceiling: the same patient with a fresh id. */
  ceilingBody: () => string;
  /** Eligibility requests (1 item + 1 service), set by run-bench when that scenario runs. */
  eligibilityBodies?: string[];
  eligibilityFacilityBodies?: string[];
  /** Claim and claim Bundle requests, set by run-bench when a claim scenario runs. */
  claims?: ClaimData;
}

/** Reads what the scenarios rotate through: random seeded patients, and a template to create more. */
export async function loadBenchData(
  url: string,
  rules: InsuranceNumberRules,
  numberSystem: string,
  sample = 2000,
): Promise<BenchData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const patients = await client.query<{ id: string; insurance_number: string }>(
      `select id::text, insurance_number from insuree where deleted_at is null order by random() limit $1`,
      [sample],
    );
    const [template] = (
      await client.query<{ content: string }>(
        `select content from fhir_resource where resource_type = 'Patient' and id = $1`,
        [patients.rows[0]!.id],
      )
    ).rows;
    const numbers = new InsuranceNumbers(rules, BENCH_NUMBER_BLOCK);
    const { rows: issued } = await client.query<{ max: string | null }>(
      `select max(insurance_number) as max from insuree
        where insurance_number like $1 and length(insurance_number) = $2`,
      [`${BENCH_NUMBER_BLOCK}%`, numbers.length],
    );
    numbers.continueAfter(issued[0]!.max ?? undefined);

    const patient = JSON.parse(template!.content) as Record<string, any>;
    delete patient['id'];
    delete patient['meta'];
    // Without its family: joining one would also rewrite the family, which is not what is measured.
    patient['extension'] = (patient['extension'] as { url: string }[]).filter(
      (e) => !e.url.endsWith('/patient-group-reference') && !e.url.endsWith('/patient-is-head'),
    );
    patient['identifier'] = [{ system: numberSystem, value: '{{number}}' }];
    const newPatientTemplate = JSON.stringify(patient);
    const ceilingTemplate = JSON.stringify({ id: '{{id}}', ...patient });
    return {
      patientIds: patients.rows.map((r) => r.id),
      insuranceNumbers: patients.rows.map((r) => r.insurance_number),
      newPatientTemplate,
      nextNumber: () => numbers.next(),
      ceilingBody: () => ceilingTemplate.replace('{{id}}', randomUUID()),
    };
  } finally {
    await client.end();
  }
}
