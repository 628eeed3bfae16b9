import type { EntityManager } from '@mikro-orm/core';
import t from 'tap';
import { Location } from '../location/location.entity.ts';
import { KingaError } from '../shared/errors.ts';
import { MedicalItem } from './medical-item.entity.ts';
import { MedicalService, type PackageComponent } from './medical-service.entity.ts';
import { replacePriceListLines } from './price-list-lines.ts';
import { PriceList } from './price-list.entity.ts';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof KingaError ? error.code : String(error);
  }
};

function service(packageType: 'S' | 'P' | 'F', components: PackageComponent[] | null): MedicalService {
  return Object.assign(new MedicalService(), {
    code: 'PKG1',
    patientCategory: 15,
    packageType,
    packageComponents: components,
  });
}

t.test('a package lists its components exactly when it is a package, each once', async (t) => {
  const item = { kind: 'item' as const, code: 'IT1', quantity: 1 };
  t.equal(
    code(() => service('S', null).assertConsistent()),
    undefined,
  );
  t.equal(
    code(() => service('S', [item]).assertConsistent()),
    'medical.package-components-not-allowed',
  );
  t.equal(
    code(() => service('P', null).assertConsistent()),
    'medical.package-components-required',
  );
  t.equal(
    code(() => service('F', [item]).assertConsistent()),
    undefined,
  );
  t.equal(
    code(() => service('P', [item, { ...item, quantity: 3 }]).assertConsistent()),
    'medical.package-component-duplicate',
  );
  t.equal(
    code(() => service('P', [item, { kind: 'service', code: 'IT1', quantity: 1 }]).assertConsistent()),
    undefined,
    'an item and a service may share a code',
  );
  t.equal(
    code(() => service('P', [{ kind: 'service', code: 'PKG1', quantity: 1 }]).assertConsistent()),
    'medical.package-contains-itself',
  );
  t.equal(
    code(() => service('P', [{ ...item, quantity: 0 }]).assertConsistent()),
    'medical.package-component-quantity',
  );
});

t.test('an item is valid within its window and while live', async (t) => {
  const item = Object.assign(new MedicalItem(), {
    patientCategory: 15,
    validFrom: '2026-01-01',
    validTo: null,
  });
  t.ok(item.isValidOn('2026-01-01'));
  t.notOk(item.isValidOn('2025-12-31'));
  item.deletedAt = new Date();
  t.notOk(item.isValidOn('2026-06-01'), 'a retired item is never valid');
});

t.test('a price list holds its kind, covers a region or district, applies from its start', async (t) => {
  const list = Object.assign(new PriceList(), {
    name: 'Hospital items',
    kind: 'items',
    validFrom: '2026-03-01',
  });
  t.equal(
    code(() => list.assertListable('item', 'IT1')),
    undefined,
  );
  t.equal(
    code(() => list.assertListable('service', 'SV1')),
    'price-list.line-kind-mismatch',
  );
  for (const type of ['R', 'D'] as const) {
    t.equal(
      code(() => list.placeIn(Object.assign(new Location(), { type }))),
      undefined,
      type,
    );
  }
  t.equal(
    code(() => list.placeIn(Object.assign(new Location(), { type: 'V' }))),
    'price-list.location-level',
  );
  t.notOk(list.appliesOn('2026-02-28'));
  t.ok(list.appliesOn('2026-03-01'));
  list.deletedAt = new Date();
  t.notOk(list.appliesOn('2026-03-02'), 'a retired list applies to nothing');
});

t.test('a price list line names an item or a service, not both or neither', async (t) => {
  const list = Object.assign(new PriceList(), { name: 'Items', kind: 'items' });
  const noDatabase = {} as EntityManager;
  for (const line of [{}, { itemId: 'a', serviceId: 'b' }]) {
    await t.rejects(replacePriceListLines(noDatabase, list, [line], []), { code: 'price-list.line-target' });
  }
});
