import type { Dhis2Mapping } from '../indicator/org-unit-mapping.ts';
import type { LocationStatus, LocationType } from './location.entity.ts';

/** What a caller says about a location; references are record ids. */
export interface LocationInput extends Dhis2Mapping {
  id?: string;
  code: string;
  name: string;
  type: LocationType;
  status?: LocationStatus;
  parentId?: string | null;
}
