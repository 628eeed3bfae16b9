import type autocannon from 'autocannon';
import type { BenchData } from './bench-data.ts';
import { BUNDLE_CLAIMS, type ClaimData } from './claim-data.ts';
import { allocationNote, measureAllocation, MPESA_SECRET, paymentDataOf } from './payment-data.ts';
import type { Measurement } from './report.ts';

export interface Target {
  /** Least share of the matching ceiling's req/s (issues that state their target as a ratio). */
  ratio?: number;
  /** Least rate, per second, of what the scenario counts (claims, callbacks): issues that state one. */
  rate?: number;
  /** Highest p99 latency, ms. */
  p99?: number;
}

export interface Scenario {
  name: string;
  server: 'kinga' | 'ceiling';
  /** The ceiling scenario this one is measured against. */
  ceiling?: string;
  target?: Target;
  /**
   * Claims each request submits, and which of the run's claim codes they carry: the ratio to the
   * ceiling then compares claims/s with its inserts/s, and the claims' outcomes are reported.
   */
  claims?: { perRequest: number; codes: 'claim' | 'bundle' };
  /** Concurrent connections, when not `--connections`; and how long a request may take. */
  connections?: number;
  timeoutSeconds?: number;
  /** Overrides `--warmup`; and the least measured time, for requests that take seconds. */
  warmupSeconds?: number;
  minDurationSeconds?: number;
  request: (data: BenchData) => autocannon.Request;
  /** Measures what the requests left behind (run after the measured run), into `measured.note`. */
  afterwards?: (data: BenchData, url: string, measured: Measurement) => Promise<void>;
}

/** Each connection takes the next item of a list, round and round. */
function rotating<T>(items: readonly T[]): () => T {
  let next = 0;
  return () => items[next++ % items.length]!;
}

const FHIR_JSON = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };

function claimData(data: BenchData): ClaimData {
  if (!data.claims) {
    throw new Error('Claim scenarios need prepareClaimData (run-bench prepares it when one is selected)');
  }
  return data.claims;
}

/**
 * Reads against the read ceiling, the create against the insert ceiling (targets for 2 cores).
 * Eligibility is measured against the read ceiling (issue 4): it reads a handful of rows and
 * keeps the enquiry with its answer. Claims are measured against the insert ceiling (issue 5):
 * ≥ 800 claims/s on 2 cores, where the insert ceiling does about 4 400 rows/s, hence 18 %.
 */
/** CoverageEligibilityRequests posted in turn from `bodies`, against issue 4's target. */
function eligibilityScenario(name: string, bodies: (data: BenchData) => string[] | undefined): Scenario {
  return {
    name,
    server: 'kinga',
    ceiling: 'ceiling read',
    target: { ratio: 0.25, p99: 25 },
    request: (data) => {
      const body = rotating(bodies(data) ?? []);
      return {
        method: 'POST',
        path: '/fhir/R4/CoverageEligibilityRequest',
        headers: FHIR_JSON,
        setupRequest: (req) => ({ ...req, body: body() }),
      };
    },
  };
}

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
  eligibilityScenario('eligibility 1 item + 1 service', (data) => data.eligibilityBodies),
  // What an EMR sends: asked as its facility (its price lists and care type apply).
  eligibilityScenario('eligibility at a facility', (data) => data.eligibilityFacilityBodies),
  {
    name: 'submit Claim (5 lines)',
    server: 'kinga',
    ceiling: 'ceiling insert',
    // Issue 5: ≥ 800 claims/s on 2 cores, p99 ≤ 100 ms (the issue states a rate, not a ratio).
    target: { rate: 800, p99: 100 },
    claims: { perRequest: 1, codes: 'claim' },
    request: (data) => {
      const claims = claimData(data);
      return {
        method: 'POST',
        path: '/fhir/R4/Claim',
        headers: FHIR_JSON,
        setupRequest: (req) => ({ ...req, body: claims.claimBody() }),
      };
    },
  },
  {
    name: `transaction Bundle of ${BUNDLE_CLAIMS} claims`,
    server: 'kinga',
    ceiling: 'ceiling insert',
    claims: { perRequest: BUNDLE_CLAIMS, codes: 'bundle' },
    // A Bundle takes seconds: two facilities uploading at once keep the server busy, where 32
    // would only queue past any timeout. No warm-up: a Bundle still running when the warm-up ends
    // would run on into the measured time (the claim scenario before it warms the same code).
    connections: 2,
    timeoutSeconds: 120,
    warmupSeconds: 0,
    minDurationSeconds: 60,
    request: (data) => {
      const claims = claimData(data);
      return {
        method: 'POST',
        path: '/fhir/R4',
        headers: FHIR_JSON,
        setupRequest: (req) => ({ ...req, body: claims.bundleBody() }),
      };
    },
  },
  {
    // Issue 6: ≥ 2 000 callbacks/s acknowledged on 2 cores; then the server's allocation job
    // drains the inbox, timed until it is empty.
    name: 'mpesa C2B confirmation',
    server: 'kinga',
    ceiling: 'ceiling insert',
    target: { rate: 2000 },
    request: (data) => {
      const payments = paymentDataOf(data);
      return {
        method: 'POST',
        path: `/payments/mpesa/${MPESA_SECRET}/c2b/confirmation`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: payments.confirmationBody() }),
      };
    },
    afterwards: async (data, url, measured) => {
      const allocation = await measureAllocation(url, paymentDataOf(data).txnPrefix);
      measured.note =
        `${Math.round(measured.requestsPerSecond)} callbacks/s acknowledged (p50 ${measured.p50Ms} ms, ` +
        `p99 ${measured.p99Ms} ms); ${allocationNote(allocation, measured.requestsPerSecond)}`;
    },
  },
];
