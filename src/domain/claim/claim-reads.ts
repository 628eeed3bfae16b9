import type { IsoDate } from '../shared/dates.ts';
import type { EligibilityReads } from '../eligibility/eligibility-reads.ts';

/** A row as it is stored (column names), for `em.map`. */
export type StoredRow = Record<string, unknown>;

/** The claim a facility already stored under a code: what tells a resend from another claim. */
export interface EarlierClaim {
  id: string;
  fingerprint: string;
}

/**
 * What a claim reads and locks besides eligibility's reads: one statement each, on every
 * submission, so kept prepared (planning them cost more than running them). The SQL lives outside
 * the domain (`src/fhir/claim/claim-reads.sql.ts`).
 */
export interface ClaimReads extends EligibilityReads {
  /**
   * The live organisation with this id or code, as stored; null when none. With `lockCode`, the
   * same statement takes the transaction's advisory lock on that claim code at the organisation
   * found (the key `claim <organisation id> <code>`, as `lockKey` would).
   */
  organisationRow(key: { id: string } | { code: string }, lockCode?: string): Promise<StoredRow | null>;
  /** The claim the facility stored under `code` (null when none), and the live diagnoses with these codes. */
  earlierClaimAndDiagnoses(question: {
    facilityId: string;
    code: string;
    diagnosisCodes: string[];
  }): Promise<{ earlier: EarlierClaim | null; diagnoses: StoredRow[] }>;
  /** Locks these policies' rows (`for update`, in id order, so that two claims never deadlock). */
  lockPolicies(policyIds: string[]): Promise<void>;
  /**
   * For the review rules, each count stopping at its limit: whether one of the services has fewer
   * than `rareBelow` accepted lines, and how many of the patient's claims at the facility (not
   * rejected) start in [from, to], up to `visitsUpTo`.
   */
  reviewCounts(question: {
    serviceIds: string[];
    rareBelow: number;
    insureeId: string;
    facilityId: string;
    from: IsoDate;
    to: IsoDate;
    visitsUpTo: number;
  }): Promise<{ rare: boolean; recent: number }>;
}
