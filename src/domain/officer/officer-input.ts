import type { IsoDate } from '../shared/dates.ts';
import type { OfficerRole } from './officer.entity.ts';

/** Where and with whom an officer works; which fields apply depends on the role. */
export interface OfficerAssignment {
  /** EO: the district and/or the villages served; a district is derived from the villages when absent. */
  locationIds?: string[];
  /** EO: who takes over the officer's families. */
  substituteId?: string | null;
  /** EO: last working day. */
  worksTo?: IsoDate | null;
  /** CA: the health facility, by record id or by facility code (openIMIS references by code). */
  facilityId?: string | null;
  facilityCode?: string | null;
}

/** What a caller says about an officer; `assignment` undefined leaves the assignment as it is. */
export interface OfficerInput {
  id?: string;
  role?: OfficerRole;
  code?: string;
  lastName?: string;
  otherNames?: string;
  birthDate?: IsoDate | null;
  phone?: string | null;
  email?: string | null;
  assignment?: OfficerAssignment;
}
