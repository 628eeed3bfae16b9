import type { IsoDate } from '../shared/dates.ts';
import type {
  Gender,
  IdentityDocumentType,
  InsureePhoto,
  InsureeStatus,
  MaritalStatus,
} from './insuree.entity.ts';

/** What a caller says about an insuree; references are record ids. */
export interface InsureeInput {
  id?: string;
  insuranceNumber?: string;
  lastName?: string;
  otherNames?: string;
  birthDate?: IsoDate | null;
  gender?: Gender | null;
  maritalStatus?: MaritalStatus | null;
  status?: InsureeStatus;
  phone?: string | null;
  email?: string | null;
  addressText?: string | null;
  municipality?: string | null;
  villageId?: string | null;
  identityDocumentType?: IdentityDocumentType | null;
  identityDocumentNumber?: string | null;
  firstServicePointId?: string | null;
  familyId?: string | null;
  isHead?: boolean;
  relationship?: string | null;
  cardIssued?: boolean;
  profession?: string | null;
  education?: string | null;
  photo?: InsureePhoto | null;
}
