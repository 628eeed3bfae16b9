import { defineEntity, p } from '@mikro-orm/core';
import type { IsoDate } from '../shared/dates.ts';
import { KingaError } from '../shared/errors.ts';
import { money } from '../shared/money.ts';
import { liveUnique, recordProperties } from '../shared/record.ts';
import { CareTypes, PatientCategory } from './medical-codes.ts';
import { assertProvisionRules, isWithin } from './medical-rules.ts';

/** P preventive, C curative. */
export const ServiceTypes = ['P', 'C'] as const;
export type ServiceType = (typeof ServiceTypes)[number];
/** S simple, V visit, D day of stay, H hospital case. */
export const ServiceLevels = ['S', 'V', 'D', 'H'] as const;
export type ServiceLevel = (typeof ServiceLevels)[number];
/** S surgery, D delivery, A antenatal, H hospitalisation, C consultation, O other, V visit. */
export const ServiceCategories = ['S', 'D', 'A', 'H', 'C', 'O', 'V'] as const;
export type ServiceCategory = (typeof ServiceCategories)[number];
/** S simple, P package of sub-services and items, F fixed-price package. */
export const PackageTypes = ['S', 'P', 'F'] as const;
export type PackageType = (typeof PackageTypes)[number];

/** One line of a package service: an item or a service, how many, at what price. */
export interface PackageComponent {
  kind: 'item' | 'service';
  code: string;
  quantity: number;
  price?: string;
}

/** A medical service a facility may claim (openIMIS tblServices). */
export const MedicalServiceSchema = defineEntity({
  name: 'MedicalService',
  tableName: 'medical_service',
  properties: {
    ...recordProperties,
    code: p.string().length(50),
    name: p.string().length(200),
    type: p.enum(ServiceTypes),
    level: p.enum(ServiceLevels),
    category: p.enum(ServiceCategories).default('O'),
    price: money(),
    maximumQuantity: p.integer().nullable(),
    careType: p.enum(CareTypes).default('B'),
    frequencyDays: p.integer().nullable(),
    patientCategory: p.integer().default(PatientCategory.all),
    packageType: p.enum(PackageTypes).default('S'),
    /** The facility may ask its own price (openIMIS manualPrice). */
    manualPrice: p.boolean().default(false),
    packageComponents: p.json<PackageComponent[]>().nullable(),
    validFrom: p.date().nullable(),
    validTo: p.date().nullable(),
  },
  indexes: [{ name: 'medical_service_code_live_unique', expression: liveUnique('medical_service', 'code') }],
});
export class MedicalService extends MedicalServiceSchema.class {
  /** The provision rules, plus a package's shape: components exactly when it is a package, each once. */
  assertConsistent(): void {
    assertProvisionRules(this);
    this.assertPackage();
  }

  isValidOn(date: IsoDate): boolean {
    return this.deletedAt == null && isWithin(date, this.validFrom, this.validTo);
  }

  private assertPackage(): void {
    const components = this.packageComponents ?? [];
    if (this.packageType === 'S') {
      if (components.length > 0) {
        throw new KingaError('medical.package-components-not-allowed', {}, { field: 'packageComponents' });
      }
      return;
    }
    if (components.length === 0) {
      throw new KingaError('medical.package-components-required', {}, { field: 'packageComponents' });
    }
    const seen = new Set<string>();
    for (const { kind, code, quantity } of components) {
      if (kind === 'service' && code === this.code) {
        throw new KingaError('medical.package-contains-itself', { code }, { field: 'packageComponents' });
      }
      if (seen.has(`${kind} ${code}`)) {
        throw new KingaError(
          'medical.package-component-duplicate',
          { kind, code },
          { field: 'packageComponents' },
        );
      }
      seen.add(`${kind} ${code}`);
      if (!(quantity > 0)) {
        throw new KingaError(
          'medical.package-component-quantity',
          { kind, code, quantity },
          { field: 'packageComponents' },
        );
      }
    }
  }
}
MedicalServiceSchema.setClass(MedicalService);
