import t from 'tap';
import { isUuid, newId } from '../../src/domain/shared/ids.ts';

t.test('record ids are UUIDv7, unique and in the order they were made', async (t) => {
  // More than one pool of random bytes (256 ids), and many ids within each millisecond.
  const ids = Array.from({ length: 20_000 }, () => newId());
  t.ok(
    ids.every((id) => isUuid(id) && id[14] === '7' && '89ab'.includes(id[19]!)),
    'version 7, RFC 9562 variant',
  );
  t.equal(new Set(ids).size, ids.length, 'unique');
  t.ok(
    ids.every((id, i) => i === 0 || id > ids[i - 1]!),
    'each later than the one before',
  );
  const before = Date.now();
  const millis = parseInt(newId().replaceAll('-', '').slice(0, 12), 16);
  t.ok(millis >= before && millis <= Date.now() + 1, 'carries the time it was made');
  // The random tail differs: ids are not a counter alone.
  t.ok(new Set(ids.map((id) => id.slice(-12))).size > ids.length * 0.99, 'random tails');
});
