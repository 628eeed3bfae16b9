import t from 'tap';
import { allows, grantScopes, parseScope, parseScopes } from '../../src/platform/auth/scopes.ts';

t.test('grantScopes intersects the request with the pre-authorised scopes', async (t) => {
  const cases: [requested: string, allowed: string, granted: string[]][] = [
    ['system/*.rs', 'system/Patient.rs', ['system/Patient.rs']],
    ['system/*.rs', 'system/Patient.rs system/Claim.crs', ['system/Patient.rs', 'system/Claim.rs']],
    ['system/*.cruds', 'system/Claim.crs', ['system/Claim.crs']],
    ['system/Patient.cruds', 'system/*.rs', ['system/Patient.rs']],
    ['system/*.cruds', 'system/*.cruds', ['system/*.cruds']],
    ['system/*.rs system/Patient.crs', 'system/*.cruds', ['system/*.rs', 'system/Patient.c']],
    ['system/Patient.read', 'system/Patient.cruds', ['system/Patient.rs']],
    ['system/Patient.write', 'system/Patient.rs', []],
    ['system/Patient.*', 'system/Patient.rs', ['system/Patient.rs']],
    ['system/Organization.rs', 'system/Patient.rs', []],
    ['system/Patient.dus system/Patient.dr', 'system/*.cruds', []],
    ['system/Patient.rd', 'system/*.cruds', ['system/Patient.rd']],
    ['patient/Patient.rs user/*.cruds launch openid', 'system/*.cruds', []],
    ['', 'system/*.cruds', []],
  ];
  for (const [requested, allowed, granted] of cases) {
    t.same(grantScopes(requested, allowed), granted, `"${requested}" within "${allowed}"`);
  }
});

t.test('parseScope accepts in-order cruds subsets and the v1 suffixes only', async (t) => {
  t.same([...parseScope('system/Patient.cud')!.permissions], ['c', 'u', 'd']);
  t.same([...parseScope('system/Patient.write')!.permissions], ['c', 'u', 'd']);
  for (const text of [
    'system/Patient.dus',
    'system/Patient.sr',
    'system/Patient.',
    'system/Pat-ient.r',
    'user/Patient.r',
  ]) {
    t.equal(parseScope(text), undefined, text);
  }
  const scopes = parseScopes('system/Patient.rs system/*.c junk');
  t.ok(allows(scopes, 'Patient', 's'));
  t.ok(allows(scopes, 'Claim', 'c'));
  t.notOk(allows(scopes, 'Claim', 'r'));
  t.notOk(allows(scopes, 'Patient', 'd'));
});
