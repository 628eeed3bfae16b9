import type { OrgUnit } from '../../../domain/indicator/cube.ts';
import type { Queryable } from '../../../platform/database/queryable.ts';
import { sql } from '../../../platform/database/sql.ts';

/**
 * How cells (cells.ts) are laid out, in words: a month's cells are rebuilt when this changes.
 * Keep it in step with cellOf.
 */
export const CELL_LAYOUT =
  'location: itself when it has locations under it, else its parent; facility: itself';

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
  readonly #parents: Map<string, string | null>;
  readonly #facilityIds: Set<string>;

  private constructor(
    children: Map<string, string[]>,
    facilities: Map<string, string[]>,
    parents: Map<string, string | null>,
    facilityIds: Set<string>,
  ) {
    this.#children = children;
    this.#facilities = facilities;
    this.#parents = parents;
    this.#facilityIds = facilityIds;
  }

  static async read(db: Queryable): Promise<OrgUnitTree> {
    const rows = await db.query<{ id: string; parent: string | null; facility: boolean }>(sql`
      select id::text, parent_id::text as parent, false as facility from location
      union all
      select id::text, location_id::text, true from organisation where kind = 'health-facility'`);
    const children = new Map<string, string[]>();
    const facilities = new Map<string, string[]>();
    const parents = new Map<string, string | null>();
    const facilityIds = new Set<string>();
    for (const row of rows) {
      if (row.facility) {
        facilityIds.add(row.id);
      } else {
        parents.set(row.id, row.parent);
      }
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
    return new OrgUnitTree(children, facilities, parents, facilityIds);
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

  /**
   * The cell (cells.ts) that holds what is placed in a location: the location itself when it has
   * locations under it, else its parent. A village's records are kept with its ward's, a few
   * hundred rows a month where the villages would take as many as there are people.
   */
  cellOf(location: string): string {
    return this.#children.has(location) ? location : (this.#parents.get(location) ?? location);
  }

  /** Every cell with the units placed in it: the whole country, for building a month. */
  allCells(): Scope {
    return this.cellsOf([...this.#parents.keys(), ...this.#facilityIds]).scope;
  }

  /**
   * The cells of the places a write marked (villages, facilities), with the units placed in them.
   * A unit the tree does not know yet is taken for a facility created since it was read (a new
   * location would have rebuilt every month): its claims are its own cell.
   */
  cellsOf(marked: readonly string[]): { cells: string[]; scope: Scope } {
    const locationCells = new Set<string>();
    const facilityCells = new Set<string>();
    for (const unit of marked) {
      if (this.#parents.has(unit)) {
        locationCells.add(this.cellOf(unit));
      } else {
        facilityCells.add(unit);
      }
    }
    const scope: Scope = {
      locations: { roots: [], units: [] },
      facilities: { roots: [...facilityCells], units: [...facilityCells] },
    };
    for (const cell of locationCells) {
      for (const unit of [cell, ...(this.#children.get(cell) ?? [])]) {
        if (this.cellOf(unit) === cell) {
          scope.locations.roots.push(cell);
          scope.locations.units.push(unit);
        }
      }
    }
    return { cells: [...locationCells, ...facilityCells], scope };
  }

  /**
   * Each asked org unit paired with the cells under it (one list: cell ids are unique across
   * locations and facilities): its subtree (scopeOf) kept to the units that are cells. A location
   * whose cell is its parent's (a village) holds only part of a cell: the cells cannot answer it.
   */
  cellScopeOf(orgUnits: readonly OrgUnit[]): { roots: string[]; cells: string[]; uncovered: OrgUnit[] } {
    const uncovered = orgUnits.filter((o) => o.kind === 'location' && this.cellOf(o.id) !== o.id);
    const { locations, facilities } = this.scopeOf(orgUnits.filter((o) => !uncovered.includes(o)));
    const roots: string[] = [];
    const cells: string[] = [];
    locations.units.forEach((unit, i) => {
      if (this.cellOf(unit) === unit) {
        roots.push(locations.roots[i]!);
        cells.push(unit);
      }
    });
    return { roots: [...roots, ...facilities.roots], cells: [...cells, ...facilities.units], uncovered };
  }
}
