import { FlushMode, type EntityManager } from '@mikro-orm/core';
import { KingaError } from '../shared/errors.ts';
import { isMoney, normaliseMoney } from '../shared/money.ts';
import { touch } from '../shared/record.ts';
import { MedicalItem } from '../medical/medical-item.entity.ts';
import { MedicalService } from '../medical/medical-service.entity.ts';
import { ProductCoverage } from './product-coverage.entity.ts';
import type { ProductCoverageInput } from './product-input.ts';
import type { Product } from './product.entity.ts';

/**
 * Makes the product's coverage lines exactly `inputs`: a line for an item or service already
 * covered is revised in place, a new one is added, a line no longer listed is removed. Each line
 * names one live item xor one live service, once. The lines belong to the product: when any of
 * them changes, the product is touched, so its published InsurancePlan gets a new version.
 */
export async function applyCoverageLines(
  em: EntityManager,
  product: Product,
  inputs: ProductCoverageInput[],
  current: ProductCoverage[],
): Promise<void> {
  const before = signature(current);
  const targets = inputs.map((input, index) => targetOf(input, `coverage[${index}]`));
  const listed = new Set<string>();
  for (const [index, { kind, id }] of targets.entries()) {
    if (listed.has(`${kind} ${id}`)) {
      throw new KingaError('product.coverage-duplicate', { kind, id }, { field: `coverage[${index}]` });
    }
    listed.add(`${kind} ${id}`);
  }
  const { items, services } = await liveTargets(em, targets);

  const byKey = new Map(current.map((line) => [line.targetKey(), line]));
  const kept = new Set<ProductCoverage>();
  for (const [index, input] of inputs.entries()) {
    const { kind, id } = targets[index]!;
    const field = `coverage[${index}]`;
    const line =
      byKey.get(`${kind} ${id}`) ??
      em.create(ProductCoverage, {
        product,
        ...(kind === 'item' ? { item: items.get(id)! } : { service: services.get(id)! }),
      });
    kept.add(line);
    applyLine(line, input);
    line.assertConsistent(field);
  }
  for (const line of current) {
    if (!kept.has(line)) {
      em.remove(line);
    }
  }
  if (signature([...kept]) !== before) {
    touch(product);
  }
}

interface Target {
  kind: 'item' | 'service';
  id: string;
}

function targetOf(input: ProductCoverageInput, field: string): Target {
  if (Boolean(input.itemId) === Boolean(input.serviceId)) {
    throw new KingaError('product.coverage-target', { line: field }, { field });
  }
  return input.itemId ? { kind: 'item', id: input.itemId } : { kind: 'service', id: input.serviceId! };
}

/** Reading the registers must not flush the product being written (it would be stored half-applied). */
const LOOK_ONLY = { flushMode: FlushMode.COMMIT } as const;

/** The live items and services the lines name, by id, in two queries; a missing one is a 422 naming its line. */
async function liveTargets(
  em: EntityManager,
  targets: Target[],
): Promise<{ items: Map<string, MedicalItem>; services: Map<string, MedicalService> }> {
  const idsOf = (kind: Target['kind']) => targets.filter((t) => t.kind === kind).map((t) => t.id);
  const itemIds = idsOf('item');
  const serviceIds = idsOf('service');
  const items =
    itemIds.length > 0
      ? await em.find(MedicalItem, { id: { $in: itemIds }, deletedAt: null }, LOOK_ONLY)
      : [];
  const services =
    serviceIds.length > 0
      ? await em.find(MedicalService, { id: { $in: serviceIds }, deletedAt: null }, LOOK_ONLY)
      : [];
  const found = {
    items: new Map(items.map((item) => [item.id, item])),
    services: new Map(services.map((service) => [service.id, service])),
  };
  for (const [index, { kind, id }] of targets.entries()) {
    if (!(kind === 'item' ? found.items : found.services).has(id)) {
      throw new KingaError(
        kind === 'item' ? 'product.coverage-item-not-found' : 'product.coverage-service-not-found',
        { id },
        { field: `coverage[${index}].${kind}` },
      );
    }
  }
  return found;
}

function applyLine(line: ProductCoverage, input: ProductCoverageInput): void {
  line.priceOrigin = input.priceOrigin ?? 'P';
  line.limitationType = input.limitationType ?? 'C';
  line.limitationTypeReferral = input.limitationTypeReferral ?? 'C';
  line.limitationTypeEmergency = input.limitationTypeEmergency ?? 'C';
  line.limitAdult = limit(input.limitAdult);
  line.limitAdultReferral = limit(input.limitAdultReferral);
  line.limitAdultEmergency = limit(input.limitAdultEmergency);
  line.limitChild = limit(input.limitChild);
  line.limitChildReferral = limit(input.limitChildReferral);
  line.limitChildEmergency = limit(input.limitChildEmergency);
  line.maxProvisionsAdult = input.maxProvisionsAdult ?? null;
  line.maxProvisionsChild = input.maxProvisionsChild ?? null;
  line.waitingPeriodAdultMonths = input.waitingPeriodAdultMonths ?? 0;
  line.waitingPeriodChildMonths = input.waitingPeriodChildMonths ?? 0;
  line.ceilingExclusionAdult = input.ceilingExclusionAdult ?? null;
  line.ceilingExclusionChild = input.ceilingExclusionChild ?? null;
}

/** Absent: fully covered (co-insurance 100 %, openIMIS's default). */
function limit(value: string | undefined): string {
  if (value === undefined) {
    return '100.00';
  }
  return isMoney(value) ? normaliseMoney(value) : value;
}

/** What the lines say, independent of order and of record ids: equal signatures, nothing changed. */
function signature(lines: ProductCoverage[]): string {
  return JSON.stringify(
    lines
      .map((line) => [
        line.targetKey(),
        line.priceOrigin,
        line.limitationType,
        line.limitationTypeReferral,
        line.limitationTypeEmergency,
        line.limitAdult,
        line.limitAdultReferral,
        line.limitAdultEmergency,
        line.limitChild,
        line.limitChildReferral,
        line.limitChildEmergency,
        line.maxProvisionsAdult,
        line.maxProvisionsChild,
        line.waitingPeriodAdultMonths,
        line.waitingPeriodChildMonths,
        line.ceilingExclusionAdult,
        line.ceilingExclusionChild,
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}
