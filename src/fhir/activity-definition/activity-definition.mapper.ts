import type { ActivityDefinition, Coding, Extension, Reference, UsageContext } from '@medplum/fhirtypes';
import {
  ServiceCategories,
  ServiceLevels,
  ServiceTypes,
  type MedicalService,
  type PackageType,
  type ServiceCategory,
  type ServiceLevel,
  type ServiceType,
} from '../../domain/medical/medical-service.entity.ts';
import type {
  MedicalServiceInput,
  PackageComponentInput,
} from '../../domain/medical/medical-service-input.ts';
import {
  codeIdentifier,
  compact,
  concept,
  findExtension,
  identifierTypeCode,
  profileViolation,
  referenceId,
  uuidIdentifier,
} from '../shared/fhir-values.ts';
import {
  careTypeFrom,
  frequencyFrom,
  frequencyTiming,
  ITEM_CODE_SYSTEM,
  MedicalExtensions,
  moneyFromFhir,
  moneyToFhir,
  patientCategoryConcepts,
  patientCategoryFrom,
  SERVICE_CODE_SYSTEM,
  unitPriceOf,
  usageContext,
  usageContextCoding,
  validityFrom,
  validityPeriod,
  venueConcept,
} from '../shared/medical-values.ts';
import {
  extensionPath,
  kingaCodeSystem,
  kingaExtension,
  kingaProfile,
  OPENIMIS_IG,
  openImisCodeSystem,
  openImisExtension,
} from '../shared/openimis.ts';

export const ACTIVITY_DEFINITION_PROFILE = kingaProfile('kinga-activity-definition');

export const ActivityDefinitionExtensions = {
  ...MedicalExtensions,
  level: openImisExtension('activity-definition-level'),
  manualPrice: kingaExtension('manual-price'),
  servicePackage: kingaExtension('service-package'),
} as const;

export const ServiceCodeSystems = {
  type: openImisCodeSystem('activity-definition-service-type'),
  level: openImisCodeSystem('activity-definition-level'),
  /** The IG's workflow codes: S, C, D, A, O (it leaves out openIMIS's H and V). */
  workflow: openImisCodeSystem('activity-definition-usage-context-workflow-type'),
  /** Every openIMIS service category: S, D, A, H, C, O, V. */
  category: kingaCodeSystem('service-category'),
} as const;

/** Systems openIMIS writes for service type and level; read, never written. */
const OPENIMIS_TYPE_PAGE = `${ServiceCodeSystems.type}.html`;
const OPENIMIS_LEVEL_VALUE_SET = `${OPENIMIS_IG}/ValueSet/activity-definition-level`;

const typeDisplays: Record<ServiceType, string> = { P: 'Preventive', C: 'Curative' };
const levelDisplays: Record<ServiceLevel, string> = {
  S: 'Simple Service',
  V: 'Visit',
  D: 'Day of stay',
  H: 'Hospital case',
};
const categoryDisplays: Record<ServiceCategory, string> = {
  S: 'Surgery',
  D: 'Delivery',
  A: 'Antenatal',
  H: 'Hospitalization',
  C: 'Consultation',
  O: 'Other',
  V: 'Visit',
};
const workflowDisplays: Partial<Record<ServiceCategory, string>> = {
  S: 'Surgery',
  C: 'Consultations',
  D: 'Delivery',
  A: 'Antenatal',
  O: 'Other',
};
const PackageTypeCodes: readonly PackageType[] = ['S', 'P', 'F'];

export const activityDefinitionFieldPaths: Record<string, string> = {
  code: 'ActivityDefinition.identifier',
  name: 'ActivityDefinition.title',
  type: 'ActivityDefinition.topic',
  level: extensionPath('ActivityDefinition', ActivityDefinitionExtensions.level),
  category: 'ActivityDefinition.useContext',
  price: extensionPath('ActivityDefinition', ActivityDefinitionExtensions.unitPrice),
  maximumQuantity: extensionPath('ActivityDefinition', ActivityDefinitionExtensions.maximumQuantity),
  careType: 'ActivityDefinition.useContext',
  patientCategory: 'ActivityDefinition.useContext',
  frequencyDays: 'ActivityDefinition.timingTiming',
  packageType: extensionPath('ActivityDefinition', ActivityDefinitionExtensions.servicePackage),
  packageComponents: extensionPath('ActivityDefinition', ActivityDefinitionExtensions.servicePackage),
  manualPrice: extensionPath('ActivityDefinition', ActivityDefinitionExtensions.manualPrice),
  validFrom: 'ActivityDefinition.effectivePeriod',
  validTo: 'ActivityDefinition.effectivePeriod',
};

/** A component's record, for the reference a package publishes. */
export interface ComponentTarget {
  id: string;
  name: string;
}

/** Finds the live record of a package component by kind and code (loaded by the projector). */
export type ComponentLookup = (kind: 'item' | 'service', code: string) => ComponentTarget | undefined;

/** Medical service → ActivityDefinition, in the openIMIS IG's shape plus Kinga's package and limits. */
export function serviceToActivityDefinition(
  service: MedicalService,
  components: ComponentLookup,
): ActivityDefinition {
  const extension: Extension[] = [
    { url: ActivityDefinitionExtensions.unitPrice, valueMoney: moneyToFhir(service.price) },
    {
      url: ActivityDefinitionExtensions.level,
      valueCodeableConcept: {
        ...concept(ServiceCodeSystems.level, service.level, levelDisplays[service.level]),
        text: levelDisplays[service.level],
      },
    },
  ];
  if (service.maximumQuantity != null) {
    extension.push({
      url: ActivityDefinitionExtensions.maximumQuantity,
      valuePositiveInt: service.maximumQuantity,
    });
  }
  if (service.manualPrice) {
    extension.push({ url: ActivityDefinitionExtensions.manualPrice, valueBoolean: true });
  }
  if (service.packageType !== 'S') {
    extension.push(packageExtension(service, components));
  }
  const { gender, age } = patientCategoryConcepts(service.patientCategory);
  const category: ServiceCategory = service.category;
  const categoryCodings: Coding[] = [];
  const workflowDisplay = workflowDisplays[category];
  if (workflowDisplay) {
    categoryCodings.push({ system: ServiceCodeSystems.workflow, code: category, display: workflowDisplay });
  }
  categoryCodings.push({
    system: ServiceCodeSystems.category,
    code: category,
    display: categoryDisplays[category],
  });
  const useContext: UsageContext[] = [
    { code: usageContextCoding('gender'), valueCodeableConcept: gender },
    { code: usageContextCoding('age'), valueCodeableConcept: age },
    {
      code: usageContextCoding('workflow'),
      valueCodeableConcept: { coding: categoryCodings, text: categoryDisplays[category] },
    },
    { code: usageContextCoding('venue'), valueCodeableConcept: venueConcept(service.careType) },
  ];
  return compact<ActivityDefinition>({
    resourceType: 'ActivityDefinition',
    meta: { profile: [ACTIVITY_DEFINITION_PROFILE] },
    extension,
    identifier: [uuidIdentifier(service.id), codeIdentifier(SERVICE_CODE_SYSTEM, service.code)],
    // openIMIS publishes the code as the (machine) name and the service's name as the title.
    name: service.code,
    title: service.name,
    status: 'active',
    date: service.updatedAt.toISOString(),
    useContext,
    effectivePeriod: validityPeriod(service.validFrom ?? null, service.validTo ?? null),
    topic: [concept(ServiceCodeSystems.type, service.type, typeDisplays[service.type])],
    timingTiming: frequencyTiming(service.frequencyDays ?? null),
  });
}

function packageExtension(service: MedicalService, components: ComponentLookup): Extension {
  const parts: Extension[] = (service.packageComponents ?? []).map((component) => {
    const target = components(component.kind, component.code);
    const type = component.kind === 'item' ? 'Medication' : 'ActivityDefinition';
    const reference: Reference = compact({
      reference: target ? `${type}/${target.id}` : undefined,
      identifier: {
        system: component.kind === 'item' ? ITEM_CODE_SYSTEM : SERVICE_CODE_SYSTEM,
        value: component.code,
      },
      display: target?.name,
    });
    return {
      url: 'component',
      extension: [
        { url: component.kind, valueReference: reference },
        { url: 'quantity', valueDecimal: component.quantity },
        ...(component.price === undefined
          ? []
          : [{ url: 'price', valueMoney: moneyToFhir(component.price) }]),
      ],
    };
  });
  return {
    url: ActivityDefinitionExtensions.servicePackage,
    extension: [{ url: 'type', valueCode: service.packageType }, ...parts],
  };
}

/** ActivityDefinition (Kinga's or openIMIS's) → what the service use cases take. */
export function activityDefinitionToService(resource: ActivityDefinition): MedicalServiceInput {
  const path = activityDefinitionFieldPaths;
  const extension = (url: string) => findExtension(resource.extension, url);
  const code =
    resource.identifier?.find((i) => i.system === SERVICE_CODE_SYSTEM || identifierTypeCode(i) === 'Code')
      ?.value ?? resource.name;
  if (!code?.trim()) {
    throw profileViolation(
      ACTIVITY_DEFINITION_PROFILE,
      'ActivityDefinition.identifier',
      'A medical service needs its code: an identifier of type Code',
      'required',
    );
  }
  const type = codeOf(
    resource.topic?.[0]?.coding,
    [ServiceCodeSystems.type, OPENIMIS_TYPE_PAGE],
    ServiceTypes,
    path['type']!,
  );
  if (!type) {
    throw profileViolation(
      ACTIVITY_DEFINITION_PROFILE,
      path['type']!,
      'The service type (topic P or C) is required',
      'required',
    );
  }
  const level = codeOf(
    extension(ActivityDefinitionExtensions.level)?.valueCodeableConcept?.coding,
    [ServiceCodeSystems.level, OPENIMIS_LEVEL_VALUE_SET],
    ServiceLevels,
    path['level']!,
  );
  if (!level) {
    throw profileViolation(
      ACTIVITY_DEFINITION_PROFILE,
      path['level']!,
      'The service level (S, V, D or H) is required',
      'required',
    );
  }
  const price = unitPriceOf(resource.extension);
  if (price === undefined) {
    throw profileViolation(
      ACTIVITY_DEFINITION_PROFILE,
      path['price']!,
      'The unit price is required',
      'required',
    );
  }
  const context = (code: 'gender' | 'age' | 'venue' | 'workflow') =>
    usageContext(resource.useContext, code)?.valueCodeableConcept;
  const category = codeOf(
    context('workflow')?.coding,
    [ServiceCodeSystems.workflow, ServiceCodeSystems.category],
    ServiceCategories,
    path['category']!,
  );
  const careType = careTypeFrom(context('venue'), ACTIVITY_DEFINITION_PROFILE, path['careType']!);
  const servicePackage = extension(ActivityDefinitionExtensions.servicePackage)?.extension;
  const packageType = servicePackage ? packageTypeOf(servicePackage) : undefined;
  return {
    code: code.trim(),
    name: resource.title ?? '',
    type,
    level,
    ...(category ? { category } : {}),
    price,
    maximumQuantity: extension(ActivityDefinitionExtensions.maximumQuantity)?.valuePositiveInt ?? null,
    ...(careType ? { careType } : {}),
    frequencyDays: frequencyFrom(resource.timingTiming, ACTIVITY_DEFINITION_PROFILE, path['frequencyDays']!),
    patientCategory: patientCategoryFrom(
      context('gender'),
      context('age'),
      ACTIVITY_DEFINITION_PROFILE,
      path['patientCategory']!,
    ),
    ...(packageType ? { packageType } : {}),
    manualPrice: extension(ActivityDefinitionExtensions.manualPrice)?.valueBoolean ?? false,
    components: (servicePackage ?? []).filter((e) => e.url === 'component').map(componentOf),
    ...validityFrom(resource.effectivePeriod, ACTIVITY_DEFINITION_PROFILE, path['validFrom']!),
  };
}

/** The first coding of one of `systems` (or without a system), which must be one of `allowed`. */
function codeOf<T extends string>(
  codings: Coding[] | undefined,
  systems: string[],
  allowed: readonly T[],
  expression: string,
): T | undefined {
  const coding = codings?.find((c) => !c.system || systems.includes(c.system));
  if (coding?.code === undefined) {
    return undefined;
  }
  if (!allowed.includes(coding.code as T)) {
    throw profileViolation(
      ACTIVITY_DEFINITION_PROFILE,
      expression,
      `${coding.code} is not one of ${allowed.join(', ')}`,
    );
  }
  return coding.code as T;
}

function packageTypeOf(parts: Extension[]): PackageType {
  const code = findExtension(parts, 'type')?.valueCode;
  if (!code || !PackageTypeCodes.includes(code as PackageType)) {
    throw profileViolation(
      ACTIVITY_DEFINITION_PROFILE,
      activityDefinitionFieldPaths['packageType']!,
      'A service package says its type: S simple, P package, F fixed-price package',
    );
  }
  return code as PackageType;
}

function componentOf(component: Extension): PackageComponentInput {
  const expression = activityDefinitionFieldPaths['packageComponents']!;
  const parts = component.extension;
  const item = findExtension(parts, 'item')?.valueReference;
  const service = findExtension(parts, 'service')?.valueReference;
  const target = item ?? service;
  if (!target || (item && service)) {
    throw profileViolation(
      ACTIVITY_DEFINITION_PROFILE,
      expression,
      'A package component names one item (Medication) or one service (ActivityDefinition)',
    );
  }
  const kind = item ? 'item' : 'service';
  const id = referenceId(target, kind === 'item' ? 'Medication' : 'ActivityDefinition', expression);
  const quantity = findExtension(parts, 'quantity')?.valueDecimal;
  const price = moneyFromFhir(findExtension(parts, 'price')?.valueMoney);
  return {
    kind,
    ...(id ? { id } : { code: target.identifier?.value ?? '' }),
    quantity: quantity ?? 1,
    ...(price === undefined ? {} : { price }),
  };
}
