import {
  maxMoney,
  minMoney,
  multiplyMoney,
  percentOf,
  subtractMoney,
  toMinor,
  ZERO,
  type Money,
} from '../shared/money.ts';
import type { FacilityPrice } from '../medical/facility-price.ts';
import type { CoverageLine } from '../eligibility/eligibility-reads.ts';
import { visitFields, type LimitationType, type VisitType } from '../product/product-coverage.entity.ts';

export interface Limitation {
  type: LimitationType;
  /** A percentage the scheme pays (C) or the most it pays per unit (F). */
  value: Money;
}

/**
 * The unit price a line is valued at (openimis.md §2.3): P the facility's price (its list's
 * overrule, else the register's), O the provider's own asked price, R the facility's nominal price
 * until the relative-pricing batch sets what is paid. A reviewer's price wins over all of them.
 */
export function unitPriceOf(
  coverage: Pick<CoverageLine, 'priceOrigin'>,
  facilityPrice: FacilityPrice,
  line: { priceAsked: Money; review?: { unitPrice?: Money } },
): Money {
  if (line.review?.unitPrice !== undefined) {
    return line.review.unitPrice;
  }
  return coverage.priceOrigin === 'O' ? line.priceAsked : facilityPrice.price;
}

/** The limitation of the claim's visit type (other, referral, emergency) for an adult or a child. */
export function limitationOf(coverage: CoverageLine, visit: VisitType, adult: boolean): Limitation {
  const fields = visitFields[visit];
  return { type: coverage[fields.type], value: coverage[adult ? fields.adult : fields.child] };
}

/**
 * What the patient would pay of `quantity` × `price` under a limitation, before deductibles and
 * ceilings (which do not depend on the product line): above the fixed amount per unit, or the
 * share co-insurance leaves. Compares the products that could pay a line.
 */
export function patientShareOf(price: Money, quantity: number, limitation: Limitation): bigint {
  const value = multiplyMoney(price, quantity);
  const share =
    limitation.type === 'F'
      ? maxMoney(ZERO, subtractMoney(value, multiplyMoney(limitation.value, quantity)))
      : subtractMoney(value, percentOf(value, limitation.value));
  return toMinor(share);
}

/** A fixed limitation caps what the scheme pays at limit × quantity; the rest is the patient's. */
export function fixedCap(value: Money, quantity: number, limitation: Limitation): Money {
  return limitation.type === 'F' ? minMoney(value, multiplyMoney(limitation.value, quantity)) : value;
}
