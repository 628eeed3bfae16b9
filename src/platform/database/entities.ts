import { LocationSchema } from '../../domain/location/location.entity.ts';
import { OrganisationSchema } from '../../domain/organisation/organisation.entity.ts';
import { InsureeSchema } from '../../domain/insuree/insuree.entity.ts';
import { FamilySchema } from '../../domain/insuree/family.entity.ts';
import { InsuranceNumberAllocationSchema } from '../../domain/insuree/insurance-number-allocation.entity.ts';
import { DiagnosisSchema } from '../../domain/medical/diagnosis.entity.ts';
import { DiagnosisListSchema, DiagnosisValueSetSchema } from '../../domain/medical/diagnosis-list.entity.ts';
import { MedicalItemSchema } from '../../domain/medical/medical-item.entity.ts';
import { MedicalServiceSchema } from '../../domain/medical/medical-service.entity.ts';
import { PriceListLineSchema, PriceListSchema } from '../../domain/medical/price-list.entity.ts';
import { OfficerSchema } from '../../domain/officer/officer.entity.ts';
import { InsureePolicySchema } from '../../domain/policy/insuree-policy.entity.ts';
import { PolicySchema } from '../../domain/policy/policy.entity.ts';
import { PremiumSchema } from '../../domain/policy/premium.entity.ts';
import { RenewalPromptSchema } from '../../domain/policy/renewal-prompt.entity.ts';
import { AmountLimitsSchema } from '../../domain/product/amount-limits.entity.ts';
import { CategoryLimitsSchema } from '../../domain/product/category-limits.entity.ts';
import { ProductCoverageSchema } from '../../domain/product/product-coverage.entity.ts';
import { ProductSchema } from '../../domain/product/product.entity.ts';
import { EligibilityEnquirySchema } from '../../domain/eligibility/eligibility-enquiry.entity.ts';
import { UsageEntrySchema } from '../../domain/eligibility/usage-entry.entity.ts';
import { ClaimLineSchema, ClaimSchema } from '../../domain/claim/claim.entity.ts';
import { RelativePricingRunSchema } from '../../domain/claim/relative-pricing/relative-pricing-run.entity.ts';
import { IndicatorDenominatorSchema } from '../../domain/indicator/indicator-denominator.entity.ts';
import { OutboundEventSchema } from '../../domain/payment/outbound-event.entity.ts';
import { PaymentInboxSchema } from '../../domain/payment/payment-inbox.entity.ts';
import {
  PaymentReconciliationLineSchema,
  PaymentReconciliationRunSchema,
} from '../../domain/payment/payment-reconciliation.entity.ts';
import { PaymentReferenceSchema } from '../../domain/payment/payment-reference.entity.ts';
import { PaymentRequestSchema } from '../../domain/payment/payment-request.entity.ts';
import { FhirResourceSchema, FhirResourceVersionSchema } from '../../fhir/store/fhir-resource.entity.ts';
import { authEntities } from '../auth/auth.entities.ts';
import { HealthCardKeyRecordSchema } from '../auth/health-card-key.entity.ts';
import { Dhis2PushRunSchema } from '../../integrations/dhis2/push/dhis2-push-run.entity.ts';
import { WebhookDeliverySchema } from '../../integrations/webhooks/webhook-delivery.entity.ts';
import { WebhookSubscriberSchema } from '../../integrations/webhooks/webhook-subscriber.entity.ts';

/** Every table Kinga owns, for the ORM and the migration generator. */
export const entities = [
  LocationSchema,
  OrganisationSchema,
  InsureeSchema,
  FamilySchema,
  InsuranceNumberAllocationSchema,
  MedicalItemSchema,
  MedicalServiceSchema,
  PriceListSchema,
  PriceListLineSchema,
  DiagnosisSchema,
  DiagnosisListSchema,
  DiagnosisValueSetSchema,
  OfficerSchema,
  AmountLimitsSchema,
  CategoryLimitsSchema,
  ProductSchema,
  ProductCoverageSchema,
  PolicySchema,
  InsureePolicySchema,
  PremiumSchema,
  RenewalPromptSchema,
  UsageEntrySchema,
  EligibilityEnquirySchema,
  ClaimSchema,
  ClaimLineSchema,
  RelativePricingRunSchema,
  IndicatorDenominatorSchema,
  Dhis2PushRunSchema,
  PaymentReferenceSchema,
  PaymentInboxSchema,
  PaymentReconciliationRunSchema,
  PaymentReconciliationLineSchema,
  PaymentRequestSchema,
  OutboundEventSchema,
  WebhookSubscriberSchema,
  WebhookDeliverySchema,
  FhirResourceSchema,
  FhirResourceVersionSchema,
  ...authEntities,
  HealthCardKeyRecordSchema,
];
