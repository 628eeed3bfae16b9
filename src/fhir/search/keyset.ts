import { joinSql, raw, sql, type Sql } from '../../platform/database/sql.ts';

/**
 * Keyset ("seek") paging: a page continues strictly after (or before) the sort key of the row at
 * its edge, so pages stay correct while rows are written, and deep pages cost what the first costs.
 */
export interface Cursor {
  direction: 'next' | 'previous';
  /** Sort key values of the edge row, the id last. */
  key: (string | number | null)[];
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'next' ? 'n' : 'p', ...cursor.key])).toString(
    'base64url',
  );
}

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length < 2 || (value[0] !== 'n' && value[0] !== 'p')) {
      return undefined;
    }
    const key = value.slice(1);
    if (!key.every((k) => k === null || typeof k === 'string' || typeof k === 'number')) {
      return undefined;
    }
    return { direction: value[0] === 'n' ? 'next' : 'previous', key: key as Cursor['key'] };
  } catch {
    return undefined;
  }
}

export interface KeyColumn {
  expression: string;
  descending: boolean;
}

/** ORDER BY for reading forwards (nulls last) or backwards (the exact reverse). */
export function orderBy(keys: KeyColumn[], backwards: boolean): Sql {
  return raw(
    keys
      .map((k) => {
        const descending = k.descending !== backwards;
        return `${k.expression} ${descending ? 'desc' : 'asc'} nulls ${backwards ? 'first' : 'last'}`;
      })
      .join(', '),
  );
}

/** Rows strictly after (or before) `values` in the forward order of `keys`. */
export function seekPredicate(keys: KeyColumn[], values: Cursor['key'], backwards: boolean): Sql {
  const alternatives: Sql[] = [];
  for (let i = 0; i < keys.length; i++) {
    const parts: Sql[] = [];
    for (let j = 0; j < i; j++) {
      parts.push(equals(keys[j]!, values[j] ?? null));
    }
    parts.push(beyond(keys[i]!, values[i] ?? null, backwards));
    alternatives.push(sql`(${joinSql(parts, ' and ')})`);
  }
  return sql`(${joinSql(alternatives, ' or ')})`;
}

function equals(key: KeyColumn, value: string | number | null): Sql {
  return value === null ? raw(`${key.expression} is null`) : sql`${raw(key.expression)} = ${value}`;
}

/** In forward order nulls come last, so after a null only nulls remain, and before it every non-null. */
function beyond(key: KeyColumn, value: string | number | null, backwards: boolean): Sql {
  const column = raw(key.expression);
  if (value === null) {
    return backwards ? sql`${column} is not null` : raw('false');
  }
  const forwardGreater = !key.descending;
  const greater = backwards ? !forwardGreater : forwardGreater;
  const comparison = greater ? sql`${column} > ${value}` : sql`${column} < ${value}`;
  return backwards ? comparison : sql`(${comparison} or ${column} is null)`;
}
