import type { Config } from '../platform/config/config.ts';
import { FhirRegistry, type MappingContext } from './core/resource-module.ts';
import { groupModule } from './group/group.module.ts';
import { insurancePlanModule } from './insurance-plan/insurance-plan.module.ts';
import { FHIR_PREFIX } from './http/fhir-prefix.ts';
import { locationModule } from './location/location.module.ts';
import { organizationModule } from './organization/organization.module.ts';
import { patientModule } from './patient/patient.module.ts';
import { practitionerModule } from './practitioner/practitioner.module.ts';
import { practitionerRoleModule } from './practitioner-role/practitioner-role.module.ts';
import { allocateInsuranceNumbersOperation } from './practitioner/allocate-insurance-numbers.operation.ts';
import {
  cardOperation,
  cardsOperation,
  healthCardsIssueOperation,
  verifyHealthCardOperation,
} from './card/card.operations.ts';
import { medicationModule } from './medication/medication.module.ts';
import { activityDefinitionModule } from './activity-definition/activity-definition.module.ts';
import { priceListModule } from './price-list/price-list.module.ts';
import { codeSystemModule } from './terminology/code-system.module.ts';
import { valueSetModule } from './terminology/value-set.module.ts';
import { coverageModule } from './coverage/coverage.module.ts';
import { contractModule } from './contract/contract.module.ts';
import { paymentNoticeModule } from './payment-notice/payment-notice.module.ts';
import { paymentReconciliationModule } from './payment-reconciliation/payment-reconciliation.module.ts';
import { eligibilityRequestModule } from './coverage-eligibility-request/coverage-eligibility-request.module.ts';
import { eligibilityResponseModule } from './coverage-eligibility-response/coverage-eligibility-response.module.ts';
import { claimModule } from './claim/claim.module.ts';
import { claimResponseModule } from './claim-response/claim-response.module.ts';
import { claimReviewOperation, claimSubmitOperation } from './claim/claim.operations.ts';
import { relativePricingOperation } from './insurance-plan/relative-pricing.operation.ts';
import { measureModule } from './measure/measure.module.ts';
import { evaluateMeasureOperation } from './measure/evaluate-measure.operation.ts';

/** Every resource type Kinga serves. Adding a type here adds its routes, metadata and projection. */
export function createFhirRegistry(config: Config): FhirRegistry {
  const mapping: MappingContext = { config, baseUrl: `${config.PUBLIC_BASE_URL}${FHIR_PREFIX}` };
  const registry = new FhirRegistry();
  registry.register(patientModule(config, mapping));
  registry.register(groupModule(config, mapping));
  registry.register(locationModule());
  registry.register(organizationModule());
  registry.register(insurancePlanModule(mapping));
  registry.register(medicationModule());
  registry.register(activityDefinitionModule());
  registry.register(priceListModule());
  registry.register(codeSystemModule());
  registry.register(valueSetModule());
  registry.register(practitionerModule());
  registry.register(practitionerRoleModule());
  registry.register(coverageModule(mapping));
  registry.register(contractModule(mapping));
  registry.register(paymentNoticeModule(mapping));
  registry.register(paymentReconciliationModule());
  registry.register(eligibilityRequestModule(mapping));
  registry.register(eligibilityResponseModule(mapping));
  const claims = claimModule(mapping);
  registry.register(claims);
  registry.register(claimResponseModule(mapping));
  registry.register(measureModule());
  registry.registerOperation(claimSubmitOperation(claims));
  registry.registerOperation(claimReviewOperation(config));
  registry.registerOperation(relativePricingOperation(config));
  registry.registerOperation(allocateInsuranceNumbersOperation(config));
  registry.registerOperation(cardOperation);
  registry.registerOperation(cardsOperation);
  registry.registerOperation(healthCardsIssueOperation);
  registry.registerOperation(verifyHealthCardOperation);
  registry.registerOperation(evaluateMeasureOperation);
  return registry;
}
