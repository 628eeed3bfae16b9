import type { Organisation } from './organisation.entity.ts';

/** Retires an organisation. Insurees keep pointing at it as history; new ones cannot. */
export function retireOrganisation(organisation: Organisation): void {
  organisation.deletedAt = new Date();
}
