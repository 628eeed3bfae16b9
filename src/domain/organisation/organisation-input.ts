import type {
  CareType,
  FacilityLevel,
  LegalForm,
  OrganisationKind,
  OrganisationStatus,
} from './organisation.entity.ts';

export interface OrganisationInput {
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
