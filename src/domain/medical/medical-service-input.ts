import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import type { CareType } from './medical-codes.ts';
import type { PackageType, ServiceCategory, ServiceLevel, ServiceType } from './medical-service.entity.ts';

/** One component of a package as a caller names it: by record id or by code. */
export interface PackageComponentInput {
  kind: 'item' | 'service';
  id?: string;
  code?: string;
  quantity: number;
  price?: Money | null;
}

export interface MedicalServiceInput {
  id?: string;
  code: string;
  name: string;
  type: ServiceType;
  level: ServiceLevel;
  category?: ServiceCategory;
  price: Money;
  maximumQuantity?: number | null;
  careType?: CareType;
  frequencyDays?: number | null;
  patientCategory?: number;
  packageType?: PackageType;
  manualPrice?: boolean;
  components?: PackageComponentInput[];
  validFrom?: IsoDate | null;
  validTo?: IsoDate | null;
}
