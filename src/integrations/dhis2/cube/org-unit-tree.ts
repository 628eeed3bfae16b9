import type { OrgUnit } from '../../../domain/indicator/cube.ts';
import type { Queryable } from '../../../platform/database/queryable.ts';
import { sql } from '../../../platform/database/sql.ts';

/** Each asked org unit (root) paired with every unit of its subtree, by kind of unit. */
export interface Scope {
  locations: { roots: string[]; units: string[] };
  facilities: { roots: string[]; units: string[] };
}

/**
 * The shape of the org-unit tree, to expand asked org units into their subtrees: locations by
 * parent (retired ones too: the records placed in them still count), and health facilities under
 * their location. A few tens of thousands of rows over a country, read again only when locations
 * or facilities change.
 */
export class OrgUnitTree {
  readonly #children: Map<string, string[]>;
  readonly #facilities: Map<string, string[]>;

  private constructor(children: Map<string, string[]>, facilities: Map<string, string[]>) {
    this.#children = children;
    this.#facilities = facilities;
  }

  static async read(db: Queryable): Promise<OrgUnitTree> {
    const rows = await db.query<{ id: string; parent: string | null; facility: boolean }>(sql`
      select id::text, parent_id::text as parent, false as facility from location
      union all
      select id::text, location_id::text, true from organisation where kind = 'health-facility'`);
    const children = new Map<string, string[]>();
    const facilities = new Map<string, string[]>();
    for (const row of rows) {
      if (row.parent === null) {
        continue;
      }
      const index = row.facility ? facilities : children;
      const list = index.get(row.parent);
      if (list) {
        list.push(row.id);
      } else {
        index.set(row.parent, [row.id]);
      }
    }
    return new OrgUnitTree(children, facilities);
  }

  /** The subtree of each org unit: a location's locations and their facilities; a facility itself. */
  scopeOf(orgUnits: readonly OrgUnit[]): Scope {
    const scope: Scope = { locations: { roots: [], units: [] }, facilities: { roots: [], units: [] } };
    for (const orgUnit of orgUnits) {
      if (orgUnit.kind === 'facility') {
        scope.facilities.roots.push(orgUnit.id);
        scope.facilities.units.push(orgUnit.id);
        continue;
      }
      const pending = [orgUnit.id];
      for (let location = pending.pop(); location !== undefined; location = pending.pop()) {
        scope.locations.roots.push(orgUnit.id);
        scope.locations.units.push(location);
        for (const facility of this.#facilities.get(location) ?? []) {
          scope.facilities.roots.push(orgUnit.id);
          scope.facilities.units.push(facility);
        }
        pending.push(...(this.#children.get(location) ?? []));
      }
    }
    return scope;
  }
}
