import type {
  Bundle,
  BundleEntry,
  Coverage,
  Identifier,
  Organization,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import type { CurrentCover, MembershipCard } from '../../domain/card/membership-card.ts';
import type { Insuree } from '../../domain/insuree/insuree.entity.ts';
import type { Config } from '../../platform/config/config.ts';
import { compact } from '../shared/fhir-values.ts';
import { INSURER_CODE_SYSTEM } from '../organization/organization.mapper.ts';

const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const SUBSCRIBER_RELATIONSHIP = 'http://terminology.hl7.org/CodeSystem/subscriber-relationship';
const COVERAGE_CLASS = 'http://terminology.hl7.org/CodeSystem/coverage-class';

/** openIMIS relationship to the head (patient-contact-relationship) → subscriber-relationship. */
const relationships: Record<string, string> = { '2': 'parent', '4': 'child', '8': 'spouse' };

/**
 * The FHIR Bundle a membership card's SMART Health Card carries: the member's Patient and, when they
 * are covered, a Coverage shaped after the CARIN Digital Insurance Card (C4DIC) Coverage profile
 * with its payor Organization and, for a member who is not the head, the head as subscriber.
 *
 * As the SMART Health Cards spec requires of QR-sized cards (spec.smarthealth.cards "Health Cards
 * are Small"): no ids, meta, text or displays, `resource:N` fullUrls and references. Identity is kept
 * to what a facility checks at the desk (name, birth date, insurance number): no photo, no address.
 * C4DIC asks for meta.profile and lastUpdated, which the spec forbids here; the rest follows it.
 */
export function cardBundle(card: MembershipCard, config: Config): Bundle {
  const resources: Resource[] = [patientOf(card.member, config)];
  if (card.cover) {
    const payor = payorOf(card);
    resources.push(coverageOf(card, card.cover, config), payor);
    if (card.head.id !== card.member.id) {
      resources.push(patientOf(card.head, config));
    }
  }
  const entry: BundleEntry[] = resources.map((resource, i) => ({ fullUrl: `resource:${i}`, resource }));
  return { resourceType: 'Bundle', type: 'collection', entry };
}

function memberId(insuree: Insuree, config: Config): Identifier {
  return {
    type: { coding: [{ system: IDENTIFIER_TYPE, code: 'MB' }] },
    system: config.INSURANCE_NUMBER_SYSTEM,
    value: insuree.insuranceNumber,
  };
}

function patientOf(insuree: Insuree, config: Config): Patient {
  return compact<Patient>({
    resourceType: 'Patient',
    identifier: [memberId(insuree, config)],
    name: [{ family: insuree.lastName, given: insuree.otherNames.split(/\s+/).filter(Boolean) }],
    birthDate: insuree.birthDate ?? undefined,
  });
}

/** resource:1; the member is resource:0, the payor resource:2, a head who is not the member resource:3. */
function coverageOf(card: MembershipCard, cover: CurrentCover, config: Config): Coverage {
  const isHead = card.head.id === card.member.id;
  const relationship = isHead ? 'self' : (relationships[card.member.relationship ?? ''] ?? 'other');
  return {
    resourceType: 'Coverage',
    identifier: [{ ...memberId(card.member, config), assigner: { reference: 'resource:2' } }],
    status: 'active',
    // HIP: a health insurance plan policy.
    type: { coding: [{ system: ACT_CODE, code: 'HIP' }] },
    subscriber: { reference: isHead ? 'resource:0' : 'resource:3' },
    subscriberId: card.head.insuranceNumber,
    beneficiary: { reference: 'resource:0' },
    relationship: { coding: [{ system: SUBSCRIBER_RELATIONSHIP, code: relationship }] },
    period: {
      start: cover.memberCover.effectiveDate ?? cover.memberCover.startDate,
      end: cover.memberCover.expiryDate,
    },
    payor: [{ reference: 'resource:2' }],
    class: [
      {
        type: { coding: [{ system: COVERAGE_CLASS, code: 'plan' }] },
        value: cover.product.code,
        name: cover.product.name,
      },
    ],
  };
}

/** The scheme's insurer; a deployment that has not registered one gets a generic name. */
function payorOf(card: MembershipCard): Organization {
  if (!card.insurer) {
    return { resourceType: 'Organization', name: 'Health insurance scheme' };
  }
  return {
    resourceType: 'Organization',
    identifier: [{ system: INSURER_CODE_SYSTEM, value: card.insurer.code }],
    name: card.insurer.name,
  };
}
