import type { Identifier } from '@medplum/fhirtypes';
import type { Dhis2Mapping } from '../../domain/indicator/org-unit-mapping.ts';
import { KINGA } from './openimis.ts';

/**
 * A location's or health facility's DHIS2 org unit, as identifiers (IHE mCSD: one system per id
 * scheme, integrations.md §3), so a MeasureReport's subject resolves to a DHIS2 org unit.
 */
export const DHIS2_UID_SYSTEM = `${KINGA}/NamingSystem/dhis2-uid`;
export const DHIS2_CODE_SYSTEM = `${KINGA}/NamingSystem/dhis2-code`;

/** The identifiers of a mapped record; none when it was not mapped (exports then derive a UID). */
export function dhis2Identifiers(record: {
  dhis2Uid?: string | null;
  dhis2Code?: string | null;
}): Identifier[] {
  const identifiers: Identifier[] = [];
  if (record.dhis2Uid) {
    identifiers.push({ use: 'secondary', system: DHIS2_UID_SYSTEM, value: record.dhis2Uid });
  }
  if (record.dhis2Code) {
    identifiers.push({ use: 'secondary', system: DHIS2_CODE_SYSTEM, value: record.dhis2Code });
  }
  return identifiers;
}

/**
 * The mapping a resource carries. An update without these identifiers keeps the stored mapping
 * (undefined): clients that know nothing of DHIS2 must not erase what an administrator set.
 */
export function dhis2MappingOf(identifiers: Identifier[] | undefined): Dhis2Mapping {
  const uid = identifiers?.find((i) => i.system === DHIS2_UID_SYSTEM)?.value;
  const code = identifiers?.find((i) => i.system === DHIS2_CODE_SYSTEM)?.value;
  return {
    ...(uid === undefined ? {} : { dhis2Uid: uid }),
    ...(code === undefined ? {} : { dhis2Code: code }),
  };
}
