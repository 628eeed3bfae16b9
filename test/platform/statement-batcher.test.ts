import t from 'tap';
import { StatementBatcher } from '../../src/platform/database/statement-batcher.ts';

/** A write that waits until released, recording what each call was given. */
function gatedWrites(failing: (items: string[]) => Error | undefined = () => undefined) {
  const calls: string[][] = [];
  const gates: (() => void)[] = [];
  const write = (items: string[]) => {
    calls.push(items);
    return new Promise<void>((resolve, reject) => {
      gates.push(() => {
        const error = failing(items);
        return error ? reject(error) : resolve();
      });
    });
  };
  const releaseAll = async () => {
    while (gates.length > 0) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { calls, write, releaseAll };
}

t.test('one statement in flight: what arrives meanwhile is written together next', async (t) => {
  const writes = gatedWrites();
  const batcher = new StatementBatcher(writes.write);
  const first = batcher.submit('a');
  const rest = ['b', 'c', 'd'].map((item) => batcher.submit(item));
  t.same(writes.calls, [['a']], 'alone, an item is written at once');
  await writes.releaseAll();
  await Promise.all([first, ...rest]);
  t.same(writes.calls, [['a'], ['b', 'c', 'd']], 'the three that waited share one statement');
});

t.test(
  'a failed statement of several is written again item by item: each gets its own outcome',
  async (t) => {
    const bad = new Error('bad item');
    const writes = gatedWrites((items) => (items.includes('x') ? bad : undefined));
    const batcher = new StatementBatcher(writes.write);
    const first = batcher.submit('a');
    const settled = Promise.allSettled(['b', 'x', 'c'].map((item) => batcher.submit(item)));
    await writes.releaseAll();
    await first;
    const outcomes = await settled;
    t.same(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    t.equal((outcomes[1] as PromiseRejectedResult).reason, bad, "the failing item's own error");
    t.same(writes.calls, [['a'], ['b', 'x', 'c'], ['b'], ['x'], ['c']]);
    const after = batcher.submit('e');
    await writes.releaseAll();
    await after;
    t.same(writes.calls.at(-1), ['e'], 'the batcher goes on after a failure');
  },
);

t.test('a burst is written in statements of at most maxItems', async (t) => {
  const writes = gatedWrites();
  const batcher = new StatementBatcher(writes.write, { maxItems: 2 });
  const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((item) => batcher.submit(item));
  await writes.releaseAll();
  await Promise.all(all);
  t.same(writes.calls, [['a'], ['b', 'c'], ['d', 'e'], ['f']]);
});
