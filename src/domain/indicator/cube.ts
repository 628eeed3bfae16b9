import type { CategoryCode, IndicatorDefinition } from './catalogue.ts';
import type { Period } from './periods.ts';

/** R region, D district, W ward/municipality, V village (locations), HF a health facility. */
export type OrgUnitLevel = 'R' | 'D' | 'W' | 'V' | 'HF';

/** A reporting unit: a location of the tree or a health facility (under its location). */
export interface OrgUnit {
  id: string;
  kind: 'location' | 'facility';
  level: OrgUnitLevel;
  code: string;
  name: string;
  parentId: string | null;
  /** The org unit's DHIS2 UID and code, when the scheme mapped it (else derived, see org-units). */
  dhis2Uid: string | null;
  dhis2Code: string | null;
}

/** One value of the cube: an indicator, for a period and an org unit, in one stratum. */
export interface Observation {
  indicator: string;
  period: string;
  /** The org unit's id (Kinga's). */
  orgUnit: string;
  /** Category code → option code; empty for the total. */
  strata: Partial<Record<CategoryCode, string>>;
  /**
   * Decimal text: a count ("12"), an amount ("1200.50"), a rate ("12.34"); null when withheld.
   */
  value: string | null;
  /**
   * Set when small-cell suppression (INDICATOR_SUPPRESS_BELOW) withholds a count of 1 … n−1: the
   * cell exists but its value does not leave the system (DHIS2: send nothing or a comment; FHIR:
   * a data-absent-reason `masked`).
   */
  withheld?: true;
}

export interface CubeQuery {
  indicators: readonly IndicatorDefinition[];
  period: Period;
  /** Each org unit is computed over everything under it (a ward: its villages; a district: …). */
  orgUnits: readonly OrgUnit[];
}

/**
 * The one engine every format serialises (DHIS2 dataValueSets JSON, ADX, FHIR MeasureReport):
 * (indicator, period, org unit, strata) → value, with SQL aggregates.
 */
export interface IndicatorCube {
  compute(query: CubeQuery): Promise<Observation[]>;
}
