/** One occurrence of an element in the instance. */
export interface Occurrence {
  value: unknown;
  path: string;
  /** The data type, when the JSON name says it (value[x] → valueBoolean → boolean). */
  type?: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The occurrences of element `name` in `value`; `value[x]` finds valueBoolean, valueString… */
export function occurrencesOf(value: Record<string, unknown>, name: string, path: string): Occurrence[] {
  if (name.endsWith('[x]')) {
    const prefix = name.slice(0, -3);
    return Object.keys(value)
      .filter((k) => k.startsWith(prefix) && /^[A-Z]/.test(k.slice(prefix.length)))
      .map((k) => ({ value: value[k], path: `${path}.${k}`, type: dataType(k.slice(prefix.length)) }));
  }
  // A primitive may be present only through its extensions (json.html#primitive): it counts,
  // with no value to check.
  const own = value[name];
  const raw = own ?? value[`_${name}`];
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    return [{ value: own ?? undefined, path: `${path}.${name}` }];
  }
  return raw.map((_item, i) => ({
    value: Array.isArray(own) ? (own[i] ?? undefined) : undefined,
    path: `${path}.${name}[${i}]`,
  }));
}

const PRIMITIVES = new Set([
  'base64Binary',
  'boolean',
  'canonical',
  'code',
  'date',
  'dateTime',
  'decimal',
  'id',
  'instant',
  'integer',
  'markdown',
  'oid',
  'positiveInt',
  'string',
  'time',
  'unsignedInt',
  'uri',
  'url',
  'uuid',
]);

function dataType(suffix: string): string {
  const lower = suffix[0]!.toLowerCase() + suffix.slice(1);
  return PRIMITIVES.has(lower) ? lower : suffix;
}
