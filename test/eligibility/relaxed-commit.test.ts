import t from 'tap';
import { sqlEligibilityReads } from '../../src/fhir/coverage-eligibility-request/eligibility-reads.sql.ts';
import { emQueryable } from '../../src/platform/database/queryable.ts';
import { sql } from '../../src/platform/database/sql.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { buildTestApp } from '../helpers/test-app.ts';

// One connection: the check after the transaction runs on the connection the transaction used.
const kinga = await buildTestApp(t, { DB_POOL_SIZE: '1' });

const question = { itemCodes: [], serviceCodes: [], patient: null, from: '2026-01-01', to: '2026-12-31' };

async function commitSettingAfterRead(relaxed: boolean): Promise<string> {
  return inTransaction(kinga.database.orm.em.fork(), { actor: 'test' }, async (em) => {
    await sqlEligibilityReads(em, { commitWithoutWaitingForDisk: relaxed }).patientAndRequested(question);
    const [row] = await emQueryable(em).query<{ synchronous_commit: string }>(sql`show synchronous_commit`);
    return row!.synchronous_commit;
  });
}

t.test('an enquiry transaction commits without waiting for disk; nothing else does', async (t) => {
  t.equal(await commitSettingAfterRead(true), 'off', "relaxed by the patient's read");
  t.equal(await commitSettingAfterRead(false), 'on', 'claims read the same way and keep durable commits');
  const [after] = await emQueryable(kinga.database.orm.em.fork()).query<{ synchronous_commit: string }>(
    sql`show synchronous_commit`,
  );
  t.equal(after!.synchronous_commit, 'on', 'the setting ends with its transaction (SET LOCAL)');
});
