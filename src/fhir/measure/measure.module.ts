import type { Measure } from '@medplum/fhirtypes';
import type { VersionedRecord } from '../../domain/shared/record.ts';
import type { ResourceModule } from '../core/resource-module.ts';
import { MEASURE_PROFILE } from './measure.mapper.ts';
import { measureSearchParams, measureSearchTable } from './measure.search.ts';

/**
 * Stands for a published Measure. No register record is ever of this class, so the flush
 * projection never renders one: publishMeasures writes them from the catalogue at start.
 */
class CatalogueMeasure implements VersionedRecord {
  id = '';
  version = 0;
  updatedAt = new Date(0);
}

/**
 * Measure: the indicator catalogue (one per DHIS2 data set), read-only. Read, vread, history and
 * search are the generic ones over the published form; writes are 405.
 */
export function measureModule(): ResourceModule<CatalogueMeasure, null, Measure> {
  return {
    type: 'Measure',
    writesRefused:
      'the Measures are the indicator catalogue, published from code; a DHIS2 admin imports GET /dhis2/metadata',
    profile: MEASURE_PROFILE,
    entity: CatalogueMeasure,
    table: measureSearchTable,
    searchParams: measureSearchParams,
    fieldPaths: {},
    projector: {
      resourceType: 'Measure',
      entity: CatalogueMeasure,
      async render() {
        return new Map();
      },
    },
  };
}
