import type { LocationStatus, LocationType } from './location.entity.ts';

/** What a caller says about a location; references are record ids. */
export interface LocationInput {
  id?: string;
  code: string;
  name: string;
  type: LocationType;
  status?: LocationStatus;
  parentId?: string | null;
}
