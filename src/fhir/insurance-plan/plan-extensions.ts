import type { Extension } from '@medplum/fhirtypes';
import type { ProductInput } from '../../domain/product/product-input.ts';
import {
  CeilingInterpretations,
  RelativePricingPeriods,
  type CeilingInterpretation,
  type Product,
  type RelativePricingPeriod,
} from '../../domain/product/product.entity.ts';
import { concept, reference, referenceId } from '../shared/fhir-values.ts';
import { extensionPath } from '../shared/openimis.ts';
import { months, PlanCodeSystems, PlanExtensions as X } from './insurance-plan.terms.ts';
import { codeOf, decimalText, monthsIn } from './plan-values.ts';

/** The product-wide levers InsurancePlan has no element for, as extensions (both directions). */

const interpretationDisplays: Record<CeilingInterpretation, string> = {
  H: 'Hospital: in-patient means treated at a hospital-level facility',
  I: 'In-patient: a claim spanning at least one night',
};
const periodDisplays: Record<RelativePricingPeriod, string> = { M: 'Monthly', Q: 'Quarterly', Y: 'Yearly' };

type ExtensionLevers = Pick<
  ProductInput,
  | 'startCycles'
  | 'maxInstallments'
  | 'conversionProductId'
  | 'administrationPeriodMonths'
  | 'gracePeriodEnrolmentMonths'
  | 'gracePeriodRenewalMonths'
  | 'gracePeriodPaymentMonths'
  | 'enrolmentDiscountPercent'
  | 'enrolmentDiscountPeriodMonths'
  | 'renewalDiscountPercent'
  | 'renewalDiscountPeriodMonths'
  | 'ceilingInterpretation'
  | 'relativePricingPeriod'
  | 'relativePricingPeriodInPatient'
  | 'relativePricingPeriodOutPatient'
  | 'relativePricingDistribution'
>;

export function planExtensions(product: Product): Extension[] {
  const extension: Extension[] = product.startCycles.map((cycle) => ({
    url: X.startCycle,
    valueString: cycle,
  }));
  if (product.maxInstallments != null) {
    extension.push({ url: X.maxInstallments, valueUnsignedInt: product.maxInstallments });
  }
  if (product.conversionProduct) {
    extension.push({
      url: X.conversion,
      valueReference: reference('InsurancePlan', product.conversionProduct.id)!,
    });
  }
  extension.push(
    { url: X.administrationPeriod, valueQuantity: months(product.administrationPeriodMonths) },
    { url: X.enrolmentGracePeriod, valueQuantity: months(product.gracePeriodEnrolmentMonths) },
    { url: X.renewalGracePeriod, valueQuantity: months(product.gracePeriodRenewalMonths) },
    { url: X.paymentGracePeriod, valueQuantity: months(product.gracePeriodPaymentMonths) },
  );
  for (const [url, percent, period] of [
    [X.enrolmentDiscount, product.enrolmentDiscountPercent, product.enrolmentDiscountPeriodMonths],
    [X.renewalDiscount, product.renewalDiscountPercent, product.renewalDiscountPeriodMonths],
  ] as const) {
    if (percent != null || period != null) {
      extension.push({
        url,
        extension: [
          ...(percent != null ? [{ url: 'percentage', valueDecimal: Number(percent) }] : []),
          ...(period != null ? [{ url: 'period', valueQuantity: months(period) }] : []),
        ],
      });
    }
  }
  extension.push({
    url: X.ceilingInterpretation,
    valueCodeableConcept: concept(
      PlanCodeSystems.ceilingInterpretation,
      product.ceilingInterpretation,
      interpretationDisplays[product.ceilingInterpretation as CeilingInterpretation],
    ),
  });
  const relative = relativePricing(product);
  if (relative.length > 0) {
    extension.push({ url: X.relativePricing, extension: relative });
  }
  return extension;
}

function relativePricing(product: Product): Extension[] {
  const parts: Extension[] = [];
  for (const [url, period] of [
    ['period', product.relativePricingPeriod],
    ['in-patient-period', product.relativePricingPeriodInPatient],
    ['out-patient-period', product.relativePricingPeriodOutPatient],
  ] as const) {
    if (period) {
      parts.push({
        url,
        valueCodeableConcept: concept(PlanCodeSystems.relativePricingPeriod, period, periodDisplays[period]),
      });
    }
  }
  for (const share of product.relativePricingDistribution ?? []) {
    parts.push({ url: 'distribution', valueDecimal: Number(share) });
  }
  return parts;
}

/**
 * The levers carried by extensions. openIMIS's insurance-plan-period and -discount are read only
 * when Kinga's own are absent, in the order openIMIS reads them (InsurancePlanConverter.
 * build_imis_extentions): periods are enrolment grace, administration, renewal grace; discounts
 * are renewal, enrolment.
 */
export function readPlanExtensions(extensions: Extension[] | undefined): ExtensionLevers {
  const all = (extensions ?? []).map((extension, index) => ({
    extension,
    path: `InsurancePlan.extension[${index}]`,
  }));
  const of = (url: string) => all.filter((e) => e.extension.url === url);
  const one = (url: string) => of(url)[0];
  const monthsOf = (url: string) => {
    const found = one(url);
    return found ? monthsIn(found.extension.valueQuantity, `${found.path}.valueQuantity`) : undefined;
  };
  const levers: ExtensionLevers = {
    startCycles: of(X.startCycle).map((e) => e.extension.valueString ?? ''),
  };
  const installments = one(X.maxInstallments)?.extension;
  if (installments) {
    levers.maxInstallments =
      installments.valueUnsignedInt ?? installments.valuePositiveInt ?? installments.valueInteger ?? null;
  }
  const conversion = one(X.conversion);
  if (conversion) {
    levers.conversionProductId =
      referenceId(
        conversion.extension.valueReference,
        'InsurancePlan',
        `${conversion.path}.valueReference`,
      ) ?? null;
  }

  const kingaPeriods = [
    X.administrationPeriod,
    X.enrolmentGracePeriod,
    X.renewalGracePeriod,
    X.paymentGracePeriod,
  ];
  if (kingaPeriods.some((url) => one(url))) {
    levers.administrationPeriodMonths = monthsOf(X.administrationPeriod);
    levers.gracePeriodEnrolmentMonths = monthsOf(X.enrolmentGracePeriod);
    levers.gracePeriodRenewalMonths = monthsOf(X.renewalGracePeriod);
    levers.gracePeriodPaymentMonths = monthsOf(X.paymentGracePeriod);
  } else {
    const [enrolment, administration, renewal] = of(X.openImisPeriod).map((e) =>
      monthsIn(e.extension.valueQuantity, `${e.path}.valueQuantity`),
    );
    levers.gracePeriodEnrolmentMonths = enrolment;
    levers.administrationPeriodMonths = administration;
    levers.gracePeriodRenewalMonths = renewal;
  }

  const enrolment = one(X.enrolmentDiscount);
  const renewal = one(X.renewalDiscount);
  const [openImisRenewal, openImisEnrolment] = of(X.openImisDiscount);
  const [enrolmentPercent, enrolmentMonths] = discount(
    enrolment ?? openImisEnrolment,
    !enrolment && !renewal,
  );
  const [renewalPercent, renewalMonths] = discount(renewal ?? openImisRenewal, !enrolment && !renewal);
  levers.enrolmentDiscountPercent = enrolmentPercent ?? null;
  levers.enrolmentDiscountPeriodMonths = enrolmentMonths ?? null;
  levers.renewalDiscountPercent = renewalPercent ?? null;
  levers.renewalDiscountPeriodMonths = renewalMonths ?? null;

  const interpretation = one(X.ceilingInterpretation);
  if (interpretation) {
    levers.ceilingInterpretation = codeOf(
      interpretation.extension.valueCodeableConcept,
      PlanCodeSystems.ceilingInterpretation,
      CeilingInterpretations,
      `${interpretation.path}.valueCodeableConcept`,
    );
  }
  Object.assign(levers, readRelativePricing(one(X.relativePricing)));
  return levers;
}

/** [percent, months] of a discount extension; openIMIS names the parts Percentage and Period. */
function discount(
  found: { extension: Extension; path: string } | undefined,
  openImis: boolean,
): [string | undefined, number | undefined] {
  if (!found) {
    return [undefined, undefined];
  }
  const [percentUrl, periodUrl] = openImis ? ['Percentage', 'Period'] : ['percentage', 'period'];
  const parts = found.extension.extension ?? [];
  const percentIndex = parts.findIndex((p) => p.url === percentUrl);
  const periodIndex = parts.findIndex((p) => p.url === periodUrl);
  return [
    percentIndex < 0
      ? undefined
      : decimalText(
          parts[percentIndex]!.valueDecimal,
          `${found.path}.extension[${percentIndex}].valueDecimal`,
        ),
    periodIndex < 0
      ? undefined
      : monthsIn(parts[periodIndex]!.valueQuantity, `${found.path}.extension[${periodIndex}].valueQuantity`),
  ];
}

function readRelativePricing(
  found: { extension: Extension; path: string } | undefined,
): Pick<
  ExtensionLevers,
  | 'relativePricingPeriod'
  | 'relativePricingPeriodInPatient'
  | 'relativePricingPeriodOutPatient'
  | 'relativePricingDistribution'
> {
  const parts = (found?.extension.extension ?? []).map((part, index) => ({
    part,
    path: `${found!.path}.extension[${index}]`,
  }));
  const period = (url: string): RelativePricingPeriod | null => {
    const hit = parts.find((p) => p.part.url === url);
    return hit
      ? (codeOf(
          hit.part.valueCodeableConcept,
          PlanCodeSystems.relativePricingPeriod,
          RelativePricingPeriods,
          `${hit.path}.valueCodeableConcept`,
        ) ?? null)
      : null;
  };
  return {
    relativePricingPeriod: period('period'),
    relativePricingPeriodInPatient: period('in-patient-period'),
    relativePricingPeriodOutPatient: period('out-patient-period'),
    relativePricingDistribution: parts
      .filter((p) => p.part.url === 'distribution')
      .map((p) => decimalText(p.part.valueDecimal, `${p.path}.valueDecimal`) ?? ''),
  };
}

/** Where each extension lever is, for errors raised by the use cases. */
export const extensionFieldPaths: Record<string, string> = {
  startCycles: extensionPath('InsurancePlan', X.startCycle),
  maxInstallments: extensionPath('InsurancePlan', X.maxInstallments),
  conversionProduct: extensionPath('InsurancePlan', X.conversion),
  administrationPeriodMonths: extensionPath('InsurancePlan', X.administrationPeriod),
  gracePeriodEnrolmentMonths: extensionPath('InsurancePlan', X.enrolmentGracePeriod),
  gracePeriodRenewalMonths: extensionPath('InsurancePlan', X.renewalGracePeriod),
  gracePeriodPaymentMonths: extensionPath('InsurancePlan', X.paymentGracePeriod),
  enrolmentDiscountPercent: `${extensionPath('InsurancePlan', X.enrolmentDiscount)}.extension('percentage')`,
  enrolmentDiscountPeriodMonths: `${extensionPath('InsurancePlan', X.enrolmentDiscount)}.extension('period')`,
  renewalDiscountPercent: `${extensionPath('InsurancePlan', X.renewalDiscount)}.extension('percentage')`,
  renewalDiscountPeriodMonths: `${extensionPath('InsurancePlan', X.renewalDiscount)}.extension('period')`,
  ceilingInterpretation: extensionPath('InsurancePlan', X.ceilingInterpretation),
  relativePricingDistribution: `${extensionPath('InsurancePlan', X.relativePricing)}.extension('distribution')`,
};
