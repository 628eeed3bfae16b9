import type autocannon from 'autocannon';
import type { BenchData } from './bench-data.ts';

export interface Target {
  /** Least share of the matching ceiling's req/s. */
  ratio: number;
  /** Highest p99 latency, ms. */
  p99?: number;
}

export interface Scenario {
  name: string;
  server: 'kinga' | 'ceiling';
  /** The ceiling scenario this one is measured against. */
  ceiling?: string;
  target?: Target;
  request: (data: BenchData) => autocannon.Request;
}

/** Each connection takes the next item of a list, round and round. */
function rotating<T>(items: readonly T[]): () => T {
  let next = 0;
  return () => items[next++ % items.length]!;
}

const FHIR_JSON = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };

/**
 * Reads against the read ceiling, the create against the insert ceiling (targets for 2 cores).
 * Eligibility is measured against the read ceiling (issue 4): it reads a handful of rows and
 * keeps the enquiry with its answer.
 */
export const scenarios: Scenario[] = [
  {
    name: 'ceiling read',
    server: 'ceiling',
    request: (data) => {
      const id = rotating(data.patientIds);
      return {
        method: 'GET',
        path: '/ceiling/x',
        setupRequest: (req) => ({ ...req, path: `/ceiling/${id()}` }),
      };
    },
  },
  {
    name: 'read Patient/{id}',
    server: 'kinga',
    ceiling: 'ceiling read',
    target: { ratio: 0.5, p99: 10 },
    request: (data) => {
      const id = rotating(data.patientIds);
      return {
        method: 'GET',
        path: '/fhir/R4/Patient/x',
        headers: FHIR_JSON,
        setupRequest: (req) => ({ ...req, path: `/fhir/R4/Patient/${id()}` }),
      };
    },
  },
  {
    name: 'search Patient?identifier=',
    server: 'kinga',
    ceiling: 'ceiling read',
    target: { ratio: 0.4 },
    request: (data) => {
      const number = rotating(data.insuranceNumbers);
      return {
        method: 'GET',
        path: '/fhir/R4/Patient',
        headers: FHIR_JSON,
        setupRequest: (req) => ({ ...req, path: `/fhir/R4/Patient?identifier=${number()}` }),
      };
    },
  },
  {
    name: 'ceiling insert',
    server: 'ceiling',
    request: (data) => ({
      method: 'POST',
      path: '/ceiling',
      headers: FHIR_JSON,
      setupRequest: (req) => ({ ...req, body: data.ceilingBody() }),
    }),
  },
  {
    name: 'create Patient',
    server: 'kinga',
    ceiling: 'ceiling insert',
    target: { ratio: 0.25 },
    request: (data) => ({
      method: 'POST',
      path: '/fhir/R4/Patient',
      headers: FHIR_JSON,
      setupRequest: (req) => ({
        ...req,
        body: data.newPatientTemplate.replace('{{number}}', data.nextNumber()),
      }),
    }),
  },
  {
    name: 'eligibility 1 item + 1 service',
    server: 'kinga',
    ceiling: 'ceiling read',
    target: { ratio: 0.25, p99: 25 },
    request: (data) => {
      const body = rotating(data.eligibilityBodies ?? []);
      return {
        method: 'POST',
        path: '/fhir/R4/CoverageEligibilityRequest',
        headers: FHIR_JSON,
        setupRequest: (req) => ({ ...req, body: body() }),
      };
    },
  },
];
