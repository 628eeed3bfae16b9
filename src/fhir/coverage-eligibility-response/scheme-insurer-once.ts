import type { EntityManager } from '@mikro-orm/core';
import type { Organisation } from '../../domain/organisation/organisation.entity.ts';
import { findSchemeInsurer } from '../shared/policy-values.ts';

const insurers = new WeakMap<EntityManager, Promise<Organisation | null>>();

/**
 * The scheme's insurer, read once per entity manager: an enquiry is published as a request and
 * as a response in the same flush, and both name the insurer (eligibility is the hottest path).
 */
export function schemeInsurerOnce(em: EntityManager): Promise<Organisation | null> {
  let insurer = insurers.get(em);
  if (!insurer) {
    insurer = findSchemeInsurer(em);
    insurers.set(em, insurer);
  }
  return insurer;
}
