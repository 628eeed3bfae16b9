import t from 'tap';
import { sqlClaimReads } from '../../src/fhir/claim/claim-reads.sql.ts';
import { facilityWithPrices, write } from '../helpers/eligibility-scheme.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const kinga = await buildTestApp(t);
const db = kinga.database;

class RolledBack extends Error {}

t.test("a column added while the server runs leaves a claim's prepared reads working", async (t) => {
  const facility = await write(db, async (tx) => facilityWithPrices(tx, { items: [], services: [] }));
  // One transaction, so one connection: the statements are prepared on it before the column is
  // added. Rolled back, so no other test sees the column.
  await db.orm.em
    .fork()
    .transactional(async (tx) => {
      const reads = sqlClaimReads(tx);
      const before = await reads.organisationRow({ id: facility.id }, 'C-1');
      t.equal(before?.['id'], facility.id, 'read before');
      await tx
        .getConnection()
        .execute('alter table organisation add column added_now text', [], 'run', tx.getTransactionContext());
      const after = await reads.organisationRow({ id: facility.id }, 'C-1');
      t.equal(after?.['id'], facility.id, 'read again after the column was added');
      t.notOk(after && 'added_now' in after, 'the row keeps the columns the entity knows');
      const diagnoses = await reads.earlierClaimAndDiagnoses({
        facilityId: facility.id,
        code: 'C-1',
        diagnosisCodes: [],
      });
      t.same(diagnoses, { earlier: null, diagnoses: [] }, 'no earlier claim, no diagnosis asked');
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) {
        throw error;
      }
    });
});
