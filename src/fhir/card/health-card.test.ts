import t from 'tap';
import { jwsOf, toShcUri } from './health-card.ts';

t.test('a JWS becomes two digits per character and back (spec "Encoding QRs")', async (t) => {
  const jws = 'eyJhbGciOiJFUzI1NiJ9.X-_z0.abc';
  const shc = toShcUri(jws);
  t.equal(shc.slice(0, 11), 'shc:/567629', "'e' is 101 − 45 = 56, 'y' 76, 'J' 29");
  t.match(shc, /^shc:\/(\d\d)+$/);
  t.equal(jwsOf(shc), jws);
  t.equal(jwsOf(`  ${jws}\n`), jws, 'a bare JWS is taken as it is');
});

t.test('anything else is not a card', async (t) => {
  for (const text of ['shc:/123', 'shc:/1/2/5676', 'shc:/9999', 'not.a-jws', 'a.b', '']) {
    t.equal(jwsOf(text), undefined, JSON.stringify(text));
  }
});
