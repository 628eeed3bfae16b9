import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import type { CareType } from './medical-codes.ts';
import type { ItemType } from './medical-item.entity.ts';

/** What a caller says about a medical item; absent optional facts take the register's defaults. */
export interface MedicalItemInput {
  id?: string;
  code: string;
  name: string;
  type: ItemType;
  package?: string | null;
  price: Money;
  maximumQuantity?: number | null;
  careType?: CareType;
  frequencyDays?: number | null;
  /** openIMIS bitmask: 1 male, 2 female, 4 adult, 8 minor. */
  patientCategory?: number;
  validFrom?: IsoDate | null;
  validTo?: IsoDate | null;
}
