import { defineEntity, p } from '@mikro-orm/core';
import { recordProperties } from '../shared/record.ts';
import { Insuree } from '../insuree/insuree.entity.ts';
import { Organisation } from '../organisation/organisation.entity.ts';
import type { EligibilityAssessment } from './eligibility-result.ts';

/** One thing asked about: an item or a service, by code. */
export interface RequestedCode {
  kind: 'item' | 'service';
  code: string;
}

/** An identifier the asking system gave its request (kept to echo it back). */
export interface ClientIdentifier {
  system?: string;
  value: string;
}

/**
 * An eligibility enquiry and its answer, kept as asked and as answered (openIMIS keeps neither):
 * who asked about whom, for which date and facility, about what, and the assessment given then.
 * The answer is not recomputed later: it is what the facility was told.
 */
export const EligibilityEnquirySchema = defineEntity({
  name: 'EligibilityEnquiry',
  tableName: 'eligibility_enquiry',
  properties: {
    ...recordProperties,
    /** The insuree asked about; null when the patient named is not known. */
    insuree: () => p.manyToOne(Insuree).nullable().index(),
    /** The patient as the request named them (a reference or an identifier). */
    patientGiven: p.string().length(300),
    /** When the asking system created the request, as it said it (date or date-time) and as a time. */
    requestCreated: p.string().length(40),
    requestedAt: p.datetime().index(),
    servicedDate: p.date(),
    purposes: p.json<string[]>(),
    facility: () => p.manyToOne(Organisation).nullable(),
    requested: p.json<RequestedCode[]>(),
    clientIdentifiers: p.json<ClientIdentifier[]>(),
    /** The answer given. */
    assessment: p.json<EligibilityAssessment>(),
    /** The client that asked. */
    askedBy: p.string().length(100).nullable(),
  },
  indexes: [{ properties: ['createdAt'] }],
});
export class EligibilityEnquiry extends EligibilityEnquirySchema.class {
  /** Processed with an answer about a known patient (else the outcome is an error). */
  isAnswered(): boolean {
    return this.insuree != null;
  }
}
EligibilityEnquirySchema.setClass(EligibilityEnquiry);
