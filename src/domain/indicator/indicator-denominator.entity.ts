import { defineEntity, p } from '@mikro-orm/core';

/** What a denominator is reported for: a location of the tree or a health facility. */
export const DenominatorOrgUnitKinds = ['location', 'facility'] as const;
export type DenominatorOrgUnitKind = (typeof DenominatorOrgUnitKinds)[number];

/**
 * A figure DHIS2 pushes to Kinga (integrations.md §2, Aggregate Data Exchange): the population of
 * an org unit for a period, which per-1 000 indicators divide by. One value per org unit, data
 * element and period: a push of the same key again replaces it (DHIS2's CREATE_AND_UPDATE).
 */
export const IndicatorDenominatorSchema = defineEntity({
  name: 'IndicatorDenominator',
  tableName: 'indicator_denominator',
  properties: {
    // No foreign key: the org unit is a location or a health facility, two tables.
    orgUnitId: p.uuid().primary(),
    dataElement: p.string().length(50).primary(),
    /** The DHIS2 period code (2026, 202611, …), and the days it covers (end inclusive). */
    period: p.string().length(20).primary(),
    orgUnitKind: p.enum(DenominatorOrgUnitKinds),
    startDate: p.date(),
    endDate: p.date(),
    value: p.decimal('string').precision(20).scale(4),
    updatedAt: p.datetime(),
  },
  indexes: [{ properties: ['dataElement', 'startDate'] }],
});
export class IndicatorDenominator extends IndicatorDenominatorSchema.class {}
IndicatorDenominatorSchema.setClass(IndicatorDenominator);
