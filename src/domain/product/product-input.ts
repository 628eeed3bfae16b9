import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import type { CeilingExclusion, LimitationType, PriceOrigin } from './product-coverage.entity.ts';
import type {
  AmountGrid,
  AmountScope,
  CeilingInterpretation,
  LimitedCategory,
  RelativePricingPeriod,
} from './product.entity.ts';

/** General, in-patient and out-patient amounts of one row of the deductible/ceiling grid. */
export type AmountLimitsInput = Partial<Record<AmountScope, Money | null>>;

export type CategoryLimitsInput = Partial<
  Record<`${LimitedCategory}Count`, number | null> &
    Record<`${Exclude<LimitedCategory, 'visit'>}Amount`, Money | null>
>;

/** How the product covers one item or service; absent levers take openIMIS's defaults (C, 100 %). */
export interface ProductCoverageInput {
  itemId?: string | null;
  serviceId?: string | null;
  priceOrigin?: PriceOrigin;
  limitationType?: LimitationType;
  limitationTypeReferral?: LimitationType;
  limitationTypeEmergency?: LimitationType;
  limitAdult?: Money;
  limitAdultReferral?: Money;
  limitAdultEmergency?: Money;
  limitChild?: Money;
  limitChildReferral?: Money;
  limitChildEmergency?: Money;
  maxProvisionsAdult?: number | null;
  maxProvisionsChild?: number | null;
  waitingPeriodAdultMonths?: number;
  waitingPeriodChildMonths?: number;
  ceilingExclusionAdult?: CeilingExclusion | null;
  ceilingExclusionChild?: CeilingExclusion | null;
}

/**
 * Everything a caller says about a benefit package; references are record ids. A revision
 * replaces the whole product: a lever left out takes its default, a line left out is no longer
 * covered.
 */
export type ProductInput = {
  id?: string;
  code: string;
  name: string;
  locationId?: string | null;
  dateFrom: IsoDate;
  dateTo: IsoDate;
  conversionProductId?: string | null;
  insurancePeriodMonths?: number;
  administrationPeriodMonths?: number;
  startCycles?: string[];
  gracePeriodEnrolmentMonths?: number;
  gracePeriodRenewalMonths?: number;
  gracePeriodPaymentMonths?: number;
  lumpSum?: Money | null;
  threshold?: number | null;
  maxMembers?: number | null;
  premiumAdult?: Money;
  premiumChild?: Money;
  registrationLumpSum?: Money | null;
  registrationFee?: Money | null;
  generalAssemblyLumpSum?: Money | null;
  generalAssemblyFee?: Money | null;
  enrolmentDiscountPercent?: string | null;
  enrolmentDiscountPeriodMonths?: number | null;
  renewalDiscountPercent?: string | null;
  renewalDiscountPeriodMonths?: number | null;
  maxInstallments?: number | null;
  ceilingInterpretation?: CeilingInterpretation;
  categoryLimits?: CategoryLimitsInput;
  relativePricingPeriod?: RelativePricingPeriod | null;
  relativePricingPeriodInPatient?: RelativePricingPeriod | null;
  relativePricingPeriodOutPatient?: RelativePricingPeriod | null;
  /** Percent of each period's contributions given to relative prices. */
  relativePricingDistribution?: string[] | null;
  coverage?: ProductCoverageInput[];
} & Partial<Record<AmountGrid, AmountLimitsInput>>;
