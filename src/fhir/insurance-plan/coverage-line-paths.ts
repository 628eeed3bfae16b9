import type { ProductInput } from '../../domain/product/product-input.ts';
import { PlanExtensions as X, whereCode } from './insurance-plan.terms.ts';

const benefitLimit = (group: string, limit: string) =>
  `.benefit.${whereCode('type', group)}.limit.${whereCode('code', limit)}.value`;

/** Where each field of a coverage line is, inside the coverage element of that line. */
const linePaths: Record<string, string> = {
  item: `.extension('${X.covered}')`,
  service: `.extension('${X.covered}')`,
  priceOrigin: `.extension('${X.priceOrigin}')`,
  limitAdult: benefitLimit('adult', 'other'),
  limitAdultReferral: benefitLimit('adult', 'referral'),
  limitAdultEmergency: benefitLimit('adult', 'emergency'),
  limitChild: benefitLimit('child', 'other'),
  limitChildReferral: benefitLimit('child', 'referral'),
  limitChildEmergency: benefitLimit('child', 'emergency'),
  maxProvisionsAdult: benefitLimit('adult', 'provisions'),
  maxProvisionsChild: benefitLimit('child', 'provisions'),
  waitingPeriodAdultMonths: benefitLimit('adult', 'waiting-period'),
  waitingPeriodChildMonths: benefitLimit('child', 'waiting-period'),
  ceilingExclusionAdult: `.benefit.${whereCode('type', 'adult')}.extension('${X.ceilingExclusion}')`,
  ceilingExclusionChild: `.benefit.${whereCode('type', 'child')}.extension('${X.ceilingExclusion}')`,
};

/**
 * The FHIRPath of a domain field that names a coverage line by its position in the input
 * (`coverage[2].limitAdult`): the coverage element is found by the item or service it covers,
 * which stays true whatever the order of the elements in the resource.
 */
export function coverageLinePath(field: string, input: ProductInput): string | undefined {
  const match = /^coverage\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!match) {
    return undefined;
  }
  const line = input.coverage?.[Number(match[1])];
  const target = line?.itemId
    ? `Medication/${line.itemId}`
    : line?.serviceId
      ? `ActivityDefinition/${line.serviceId}`
      : undefined;
  if (!target) {
    return 'InsurancePlan.coverage';
  }
  const coverage = `InsurancePlan.coverage.where(extension('${X.covered}').value.reference = '${target}')`;
  return coverage + (linePaths[match[2] ?? ''] ?? '');
}
