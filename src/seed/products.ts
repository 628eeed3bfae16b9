import type { EntityManager } from '@mikro-orm/core';
import type { ProductCoverageInput, ProductInput } from '../domain/product/product-input.ts';
import type { Product } from '../domain/product/product.entity.ts';
import { registerProduct } from '../domain/product/register-product.ts';
import { inTransaction, type WriteContext } from '../platform/database/unit-of-work.ts';
import type { MedicalRegisters } from './write-medical-registers.ts';
import type { SeededRandom } from './random.ts';

/** Both products are sold from before the oldest seeded policy to well after the newest. */
const SALE_WINDOW = { dateFrom: '2020-01-01', dateTo: '2030-12-31' } as const;

/** Coverage levers of one code; absent ones take the defaults (price list, fully covered). */
type LineLevers = Omit<ProductCoverageInput, 'itemId' | 'serviceId'>;

/**
 * A Nepal-like family product (Health Insurance Board): a lump sum of 3 500 covers up to five
 * members, each further member pays 700, for a year from the next quarterly cycle (enrolling up
 * to a month after a cycle still joins it). Ceilings per family, raised per extra member.
 */
function familyProduct(registers: MedicalRegisters): ProductInput {
  return {
    code: 'FHI',
    name: 'Family health insurance',
    ...SALE_WINDOW,
    insurancePeriodMonths: 12,
    startCycles: ['01-01', '01-04', '01-07', '01-10'],
    gracePeriodEnrolmentMonths: 1,
    gracePeriodRenewalMonths: 1,
    gracePeriodPaymentMonths: 3,
    lumpSum: '3500.00',
    threshold: 5,
    maxMembers: 10,
    premiumAdult: '700.00',
    premiumChild: '700.00',
    renewalDiscountPercent: '10.00',
    renewalDiscountPeriodMonths: 1,
    maxInstallments: 2,
    deductiblePerTreatment: { outPatient: '200.00' },
    ceilingPerPolicy: { general: '100000.00' },
    ceilingPerExtraMember: { general: '20000.00' },
    ceilingPolicyMaximum: { general: '200000.00' },
    ceilingInterpretation: 'H',
    categoryLimits: { deliveryCount: 2, hospitalizationCount: 3, surgeryAmount: '300000.00' },
    coverage: coverageLines(registers, {
      SPEC: { limitAdult: '80.00', limitChild: '90.00' },
      MAJOR: { limitAdult: '80.00', waitingPeriodAdultMonths: 3, waitingPeriodChildMonths: 3 },
      DELN: { maxProvisionsAdult: 1, waitingPeriodAdultMonths: 9 },
      DELC: { maxProvisionsAdult: 1, waitingPeriodAdultMonths: 9 },
      ANC: { maxProvisionsAdult: 4, ceilingExclusionAdult: 'B' },
      IMMUN: { ceilingExclusionChild: 'B' },
      XRAY: { limitationType: 'F', limitAdult: '12000.00', limitChild: '12000.00' },
      DENT: { waitingPeriodAdultMonths: 3 },
    }),
  };
}

/**
 * A per-head product of the Tanzanian community health fund kind: every adult and every child
 * pays their own premium, plus a registration lump sum on a new policy; cover starts a month after
 * enrolment, any day of the year. Ceilings per insuree, a deductible per policy, co-insurance on
 * adults' drugs and consultations.
 */
function perHeadProduct(registers: MedicalRegisters): ProductInput {
  return {
    code: 'CHF',
    name: 'Community health fund (per head)',
    ...SALE_WINDOW,
    insurancePeriodMonths: 12,
    administrationPeriodMonths: 1,
    gracePeriodPaymentMonths: 2,
    premiumAdult: '10000.00',
    premiumChild: '5000.00',
    registrationLumpSum: '5000.00',
    maxInstallments: 3,
    deductiblePerPolicy: { general: '5000.00' },
    ceilingPerInsuree: { general: '500000.00', inPatient: '400000.00', outPatient: '150000.00' },
    ceilingInterpretation: 'I',
    categoryLimits: { consultationCount: 10, visitCount: 12, antenatalCount: 4, hospitalizationCount: 2 },
    coverage: coverageLines(
      registers,
      {
        OPD1: { limitAdult: '90.00' },
        SPEC: { limitAdult: '70.00', limitChild: '80.00' },
        DELC: { waitingPeriodAdultMonths: 10 },
        DELN: { waitingPeriodAdultMonths: 10 },
        MAJOR: { limitationType: 'F', limitAdult: '300000.00', limitChild: '300000.00' },
        DENT: { maxProvisionsAdult: 2, maxProvisionsChild: 2 },
        ADM: { maxProvisionsAdult: 14, maxProvisionsChild: 14 },
      },
      { limitAdult: '80.00', waitingPeriodAdultMonths: 1 },
    ),
  };
}

/**
 * One line per item and service of the registers: `services` by code, `drugs` for every drug;
 * whatever is not named is covered in full (openIMIS's default, co-insurance 100 %).
 */
function coverageLines(
  registers: MedicalRegisters,
  services: Record<string, LineLevers>,
  drugs: LineLevers = {},
): ProductCoverageInput[] {
  return [
    ...[...registers.itemIds.entries()].map(([code, itemId]) => ({
      itemId,
      ...(registers.drugCodes.has(code) ? drugs : {}),
    })),
    ...[...registers.serviceIds.entries()].map(([code, serviceId]) => ({
      serviceId,
      ...(services[code] ?? {}),
    })),
  ];
}

/** The products of the training scheme, as registered (their levers price and date the policies). */
export interface TrainingProducts {
  family: Product;
  perHead: Product;
}

/** Registers the training products through the register's use case, with drawn ids. */
export async function writeProducts(
  em: EntityManager,
  context: WriteContext,
  random: SeededRandom,
  registers: MedicalRegisters,
): Promise<TrainingProducts> {
  const ids = { family: random.id(), perHead: random.id() };
  const products = await inTransaction(em, context, async (tx) => ({
    family: await registerProduct(tx, { ...familyProduct(registers), id: ids.family }),
    perHead: await registerProduct(tx, { ...perHeadProduct(registers), id: ids.perHead }),
  }));
  em.clear();
  return products;
}
