import type {
  CareType,
  FacilityLevel,
  LegalForm,
  OrganisationKind,
  OrganisationStatus,
} from './organisation.entity.ts';
import type { Dhis2Mapping } from '../indicator/org-unit-mapping.ts';

export interface OrganisationInput extends Dhis2Mapping {
  id?: string;
  kind: OrganisationKind;
  code: string;
  name: string;
  status?: OrganisationStatus;
  level?: FacilityLevel | null;
  careType?: CareType | null;
  legalForm?: LegalForm | null;
  locationId?: string | null;
  parentId?: string | null;
  addressText?: string | null;
  city?: string | null;
  district?: string | null;
  state?: string | null;
  phone?: string | null;
  fax?: string | null;
  email?: string | null;
  contractStart?: string | null;
  contractEnd?: string | null;
  /** The facility's price lists (a health facility claims only what they list). */
  itemsPriceListId?: string | null;
  servicesPriceListId?: string | null;
}
