/**
 * SMART App Launch v2 scopes (scopes-and-launch-context): `system/<Type|*>.<cruds>`, with v1
 * `.read` (= rs), `.write` (= cud) and `.*` (= cruds) accepted. Suffixes must be an in-order subset
 * of "cruds"; anything else is ignored rather than guessed at (".rd" is not ".read").
 */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface SystemScope {
  resourceType: string; // '*' for all
  permissions: ReadonlySet<Permission>;
}

const ORDER = 'cruds';

export function parseScope(scope: string): SystemScope | undefined {
  const match = /^system\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(scope);
  if (!match) {
    return undefined;
  }
  const [, resourceType, suffix] = match as unknown as [string, string, string];
  let letters: string;
  if (suffix === 'read') {
    letters = 'rs';
  } else if (suffix === 'write') {
    letters = 'cud';
  } else if (suffix === '*') {
    letters = 'cruds';
  } else {
    letters = suffix;
  }
  if (!isInOrderSubset(letters)) {
    return undefined;
  }
  return { resourceType, permissions: new Set(letters.split('') as Permission[]) };
}

function isInOrderSubset(letters: string): boolean {
  if (letters.length === 0) {
    return false;
  }
  let position = -1;
  for (const letter of letters) {
    const index = ORDER.indexOf(letter);
    if (index <= position) {
      return false;
    }
    position = index;
  }
  return true;
}

export function parseScopes(scopes: string): SystemScope[] {
  return scopes
    .split(/\s+/)
    .filter(Boolean)
    .map(parseScope)
    .filter((s): s is SystemScope => s !== undefined);
}

export function allows(
  scopes: readonly SystemScope[],
  resourceType: string,
  permission: Permission,
): boolean {
  return scopes.some(
    (s) => (s.resourceType === '*' || s.resourceType === resourceType) && s.permissions.has(permission),
  );
}

/**
 * The scopes granted for a token request (SMART backend-services: "within the scope pre-authorized
 * to the client"): each requested scope intersected with each pre-authorised one, both in resource
 * type (a requested `*` narrows to the allowed type) and in permissions. Unparseable or non-system
 * scopes are ignored. Granted scopes are written in v2 form, and a type already covered by `*` is
 * not repeated.
 */
export function grantScopes(requested: string, allowed: string): string[] {
  const allowedScopes = parseScopes(allowed);
  const granted = new Map<string, Set<Permission>>();
  for (const scope of parseScopes(requested)) {
    for (const allowedScope of allowedScopes) {
      let resourceType: string;
      if (scope.resourceType === '*') {
        resourceType = allowedScope.resourceType;
      } else if (allowedScope.resourceType === '*' || allowedScope.resourceType === scope.resourceType) {
        resourceType = scope.resourceType;
      } else {
        continue;
      }
      const letters = [...scope.permissions].filter((l) => allowedScope.permissions.has(l));
      if (letters.length === 0) {
        continue;
      }
      const set = granted.get(resourceType) ?? new Set<Permission>();
      letters.forEach((l) => set.add(l));
      granted.set(resourceType, set);
    }
  }
  const everyType = granted.get('*') ?? new Set<Permission>();
  const result: string[] = [];
  for (const [resourceType, permissions] of granted) {
    const letters = [...ORDER].filter(
      (l) => permissions.has(l as Permission) && (resourceType === '*' || !everyType.has(l as Permission)),
    );
    if (letters.length > 0) {
      result.push(`system/${resourceType}.${letters.join('')}`);
    }
  }
  return result;
}
