import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import type { PatientKey } from '../eligibility/answer-eligibility-enquiry.ts';
import type { VisitType } from '../product/product-coverage.entity.ts';
import type { ClaimIdentifier, ClaimLineKind } from './claim.entity.ts';

/** A register record named by its id or by its code. */
export type RecordKey = { id: string } | { code: string };

/** One line as the facility sent it: what was given (by id or code), how many, at what price. */
export interface ClaimLineInput {
  sequence: number;
  /** Absent when the line names its target only by code: whichever register has it. */
  kind?: ClaimLineKind;
  target: RecordKey;
  quantity: number;
  priceAsked: Money;
  explanation?: string;
}

/**
 * A claim as submitted, in domain terms: every reference is still a key to resolve against the
 * registers (an unknown one is an error, never a new record: openimis.md §3.4).
 */
export interface ClaimInput {
  code: string;
  /** Absent: the facility the submitting client acts for. */
  facility?: RecordKey;
  patient: PatientKey;
  admin?: RecordKey;
  visitType: VisitType;
  dateFrom: IsoDate;
  dateTo?: IsoDate;
  dateClaimed: IsoDate;
  mainDiagnosis: string;
  otherDiagnoses: string[];
  /** The total the facility claims; checked against its lines. */
  total?: Money;
  explanation?: string;
  guarantee?: string;
  clientIdentifiers: ClaimIdentifier[];
  lines: ClaimLineInput[];
}

/** What a medical officer decides on one line at review. */
export interface LineReview {
  sequence: number;
  reject?: boolean;
  quantity?: number;
  unitPrice?: Money;
  justification?: string;
}
