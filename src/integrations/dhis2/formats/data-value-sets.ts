import { dataElementId, dataSetId, optionComboId, orgUnitId, type ExportIdSchemes } from './id-schemes.ts';
import { isDhis2Value, lookups, type IndicatorData } from './indicator-data.ts';

/** One value of a DHIS2 JSON data value set (DXF2, integrations.md §1.1): every member a string. */
export interface Dhis2DataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  /** Left out for a data element without disaggregation: DHIS2 then takes its default combo. */
  categoryOptionCombo?: string;
  value: string;
}

export interface Dhis2DataValueSet {
  /** The data set, when the values are of one (DHIS2 then checks each element belongs to it). */
  dataSet?: string;
  dataSetIdScheme: string;
  dataElementIdScheme: string;
  orgUnitIdScheme: string;
  categoryOptionComboIdScheme: string;
  dataValues: Dhis2DataValue[];
}

/**
 * The DHIS2 JSON data value set of `data`, in the bulk form (each value names its period and org
 * unit), so one document carries several periods and org units. The id schemes are written on the
 * root: DHIS2 reads them there (they beat the URL's), so the document imports as it is, by a
 * DHIS2 Route-API app or an interoperability layer that does not know Kinga's defaults. No
 * attributeOptionCombo: the data sets have DHIS2's default attribute combo. Values are the cube's
 * text, withheld ones and totals of disaggregated elements left out (isDhis2Value).
 */
export function dataValueSet(data: IndicatorData, schemes: ExportIdSchemes): Dhis2DataValueSet {
  const { orgUnit } = lookups(data);
  const dataValues = data.observations.filter(isDhis2Value).map((observation): Dhis2DataValue => {
    const combo = optionComboId(observation.indicator, observation.strata, schemes.categoryOptionCombo);
    return {
      dataElement: dataElementId(observation.indicator, schemes.dataElement),
      period: observation.period,
      orgUnit: orgUnitId(orgUnit(observation.orgUnit), schemes.orgUnit),
      ...(combo === undefined ? {} : { categoryOptionCombo: combo }),
      value: observation.value,
    };
  });
  const [only] = data.dataSets;
  return {
    ...(data.dataSets.length === 1 && only ? { dataSet: dataSetId(only, schemes.dataSet) } : {}),
    dataSetIdScheme: schemes.dataSet,
    dataElementIdScheme: schemes.dataElement,
    orgUnitIdScheme: schemes.orgUnit,
    categoryOptionComboIdScheme: schemes.categoryOptionCombo,
    dataValues,
  };
}
