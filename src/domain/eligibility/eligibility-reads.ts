import type { IsoDate } from '../shared/dates.ts';
import type { Insuree } from '../insuree/insuree.entity.ts';
import type { MedicalItem } from '../medical/medical-item.entity.ts';
import type { FacilityLine } from '../medical/facility-price.ts';
import type { MedicalService } from '../medical/medical-service.entity.ts';
import type { Organisation } from '../organisation/organisation.entity.ts';
import type { InsureePolicy } from '../policy/insuree-policy.entity.ts';
import type { Policy } from '../policy/policy.entity.ts';
import type { ProductCoverage } from '../product/product-coverage.entity.ts';
import type { AmountGrid, Product } from '../product/product.entity.ts';
import type { UsageEntry } from './usage-entry.entity.ts';

/**
 * What eligibility reads, as plain rows: it is the hottest path (every visit), and hydrating
 * entities cost several times the queries themselves. The rules (assess-eligibility.ts and the
 * functions it calls) read only these fields; the SQL lives outside the domain.
 */
export type EnquiredInsuree = Pick<Insuree, 'id' | 'birthDate' | 'gender'>;

/** A live item asked about, with what its rules read. */
export type RequestedItem = Pick<
  MedicalItem,
  'id' | 'code' | 'careType' | 'frequencyDays' | 'patientCategory' | 'validFrom' | 'validTo' | 'price'
>;
/** A live service asked about: an item's fields and its category. */
export type RequestedService = RequestedItem & Pick<MedicalService, 'category'>;

/** The facility asked as (live), with its price lists' lines for the items and services asked about. */
export type EnquiredFacility = Pick<Organisation, 'id' | 'kind' | 'careType'> & { lines: FacilityLine[] };

export type { FacilityLine };

/** The product's terms the benefits and exclusions read. */
export type ProductTerms = Pick<
  Product,
  'id' | 'code' | 'name' | 'threshold' | 'categoryLimits' | 'ceilingInterpretation' | AmountGrid
>;

/** A member's cover with its policy and the policy's product. */
export type CoverRow = Pick<InsureePolicy, 'id' | 'startDate' | 'expiryDate' | 'effectiveDate'> & {
  policy: Pick<Policy, 'id' | 'status' | 'stage'> & { product: ProductTerms };
};

/** One ledger entry (usage-entry.entity.ts), by the ids it refers to. */
export type UsageRow = Pick<
  UsageEntry,
  'kind' | 'date' | 'category' | 'careSetting' | 'quantity' | 'amount' | 'deductible'
> & {
  insuree: { id: string };
  policy: { id: string };
  /** The claim that used it (a claim under review leaves its own usage out). */
  claimId?: string | null;
  item?: { id: string } | null;
  service?: { id: string } | null;
};

/** A product's line for one item or service. */
export type CoverageLine = Pick<
  ProductCoverage,
  | 'priceOrigin'
  | 'limitationType'
  | 'limitationTypeReferral'
  | 'limitationTypeEmergency'
  | 'limitAdult'
  | 'limitAdultReferral'
  | 'limitAdultEmergency'
  | 'limitChild'
  | 'limitChildReferral'
  | 'limitChildEmergency'
  | 'ceilingExclusionAdult'
  | 'ceilingExclusionChild'
  | 'maxProvisionsAdult'
  | 'maxProvisionsChild'
  | 'waitingPeriodAdultMonths'
  | 'waitingPeriodChildMonths'
> & { productId: string; targetId: string };

/** The ledger under a member's policies, with the products' lines for what is asked. */
export interface Ledger {
  usage: UsageRow[];
  members: Map<string, number>;
  lines: CoverageLine[];
}

export interface EligibilityReads {
  /**
   * One query: the live items and services with these codes (or ids), and the live insuree with this key
   * (record id or insurance number; none when null) with their live covers overlapping
   * [from, to], latest start first. `patient` is null when no live insuree has the key.
   * `withLedger`: the same query also reads what usageAndLines would for all these covers and
   * the items and services found (for a reader that takes no lock in between).
   * `facilityId`: the same query also reads that facility and its price lists' lines for the
   * items and services found (`facility`, null when no live organisation has that id).
   */
  patientAndRequested(question: {
    itemCodes: string[];
    serviceCodes: string[];
    itemIds?: string[];
    serviceIds?: string[];
    patient: { id: string } | { insuranceNumber: string } | null;
    from: IsoDate;
    to: IsoDate;
    withLedger?: boolean;
    facilityId?: string | null;
  }): Promise<{
    items: RequestedItem[];
    services: RequestedService[];
    patient: { insuree: EnquiredInsuree; covers: CoverRow[] } | null;
    /** Present when `withLedger` was asked. */
    ledger?: Ledger;
    /** Present when `facilityId` was given. */
    facility?: EnquiredFacility | null;
  }>;
  /**
   * One query: the member's ledger entries under `policyIds` together with every member's
   * treatments under them, the live member count of each policy, and the lines of `productIds`
   * for these items and services.
   */
  usageAndLines(question: {
    insureeId: string;
    policyIds: string[];
    productIds: string[];
    itemIds: string[];
    serviceIds: string[];
  }): Promise<Ledger>;
  /**
   * One query: the lines of a facility's items price list for these items and of its services
   * price list for these services (a claim's facility is already loaded: its lists' ids are given).
   */
  facilityLines(question: {
    itemsPriceListId: string | null;
    servicesPriceListId: string | null;
    itemIds: string[];
    serviceIds: string[];
  }): Promise<FacilityLine[]>;
}
