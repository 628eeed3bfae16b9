import type { IsoDate } from '../shared/dates.ts';
import type { Money } from '../shared/money.ts';
import type { PriceListKind } from './price-list.entity.ts';

/** One line: exactly one of itemId and serviceId, and an optional price that overrules the register's. */
export interface PriceListLineInput {
  itemId?: string;
  serviceId?: string;
  priceOverrule?: Money | null;
}

export interface PriceListInput {
  id?: string;
  name: string;
  kind: PriceListKind;
  locationId?: string | null;
  validFrom?: IsoDate | null;
  lines: PriceListLineInput[];
}
