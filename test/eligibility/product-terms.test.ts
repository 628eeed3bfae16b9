import t from 'tap';
import { ProductTermsCache } from '../../src/fhir/coverage-eligibility-request/product-terms.sql.ts';
import { emQueryable, type Queryable } from '../../src/platform/database/queryable.ts';
import { sql, type Sql } from '../../src/platform/database/sql.ts';
import { makeProduct, write } from '../helpers/eligibility-scheme.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const db = kinga.database;

/** A Queryable that counts the statements it runs. */
function counted(inner: Queryable): Queryable & { runs: number } {
  const wrapper = {
    runs: 0,
    query<Row>(statement: Sql): Promise<Row[]> {
      wrapper.runs += 1;
      return inner.query<Row>(statement);
    },
  };
  return wrapper;
}

t.test('terms are read once per row version, and again after any change', async (t) => {
  const product = await write(db, async (tx) =>
    makeProduct(tx, { categoryLimits: { consultationCount: 2 }, threshold: 4 } as never),
  );
  const cache = new ProductTermsCache();
  await write(db, async (tx) => {
    const sqlDb = counted(emQueryable(tx));
    const version = async () => {
      const [row] = await sqlDb.query<{ tuple: string }>(
        sql`select xmin::text || ':' || ctid::text as tuple from product where id = ${product.id}::uuid`,
      );
      return { id: product.id, tuple: row!.tuple };
    };
    const termsNow = async () => (await cache.termsOf(sqlDb, [await version()])).get(product.id)!;

    const first = await termsNow();
    t.equal(first.categoryLimits.consultationCount, 2);
    t.equal(first.threshold, 4);
    t.equal(first.code, product.code);
    t.ok(Object.isFrozen(first) && Object.isFrozen(first.categoryLimits), 'shared, so frozen');
    const runs = sqlDb.runs;
    t.equal(await termsNow(), first, 'the same version again: kept');
    t.equal(sqlDb.runs, runs + 1, 'only the version was read');

    // Two changes in this one transaction: each makes a new tuple (same xmin, another ctid).
    for (const count of [5, 6]) {
      await sqlDb.query(
        sql`update product set max_consultation_count = ${count} where id = ${product.id}::uuid`,
      );
      t.equal((await termsNow()).categoryLimits.consultationCount, count, `changed to ${count}: read again`);
    }
  });
});

t.test('a product that is not there is an error, not a cover without terms', async (t) => {
  const cache = new ProductTermsCache();
  await t.rejects(
    cache.termsOf(emQueryable(db.orm.em.fork()), [
      { id: '00000000-0000-4000-8000-000000000000', tuple: '1:(0,1)' },
    ]),
    /not found/,
  );
});

t.test('a column added to product while the server runs leaves the terms readable', async (t) => {
  const product = await write(db, async (tx) => makeProduct(tx, { threshold: 4 }));
  const cache = new ProductTermsCache();
  class RolledBack extends Error {}
  // One transaction, so one connection: the read is prepared on it before the column is added.
  // Rolled back, so no other test sees the column.
  await db.orm.em
    .fork()
    .transactional(async (tx) => {
      const sqlDb = emQueryable(tx);
      const termsNow = async () => {
        const [row] = await sqlDb.query<{ tuple: string }>(
          sql`select xmin::text || ':' || ctid::text as tuple from product where id = ${product.id}::uuid`,
        );
        return (await cache.termsOf(sqlDb, [{ id: product.id, tuple: row!.tuple }])).get(product.id)!;
      };
      t.equal((await termsNow()).threshold, 4, 'read before');
      await sqlDb.query(sql`alter table product add column added_now text`);
      await sqlDb.query(sql`update product set threshold = 5 where id = ${product.id}::uuid`);
      t.equal((await termsNow()).threshold, 5, 'the new version read after the column was added');
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) {
        throw error;
      }
    });
});
