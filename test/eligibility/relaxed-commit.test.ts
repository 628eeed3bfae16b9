import type { EntityManager } from '@mikro-orm/core';
import t from 'tap';
import { EligibilityEnquiry } from '../../src/domain/eligibility/eligibility-enquiry.entity.ts';
import { sqlEligibilityReads } from '../../src/fhir/coverage-eligibility-request/eligibility-reads.sql.ts';
import { enquiriesInsertSql } from '../../src/fhir/coverage-eligibility-request/enquiry-insert.sql.ts';
import { emQueryable } from '../../src/platform/database/queryable.ts';
import { sql } from '../../src/platform/database/sql.ts';
import { inTransaction } from '../../src/platform/database/unit-of-work.ts';
import { buildTestApp } from '../helpers/test-app.ts';

// One connection: the check after the transaction runs on the connection the transaction used.
const kinga = await buildTestApp(t, { DB_POOL_SIZE: '1' });

const question = { itemCodes: [], serviceCodes: [], patient: null, from: '2026-01-01', to: '2026-12-31' };

/** synchronous_commit as `work` leaves it inside a transaction (PostgreSQL shows it until commit). */
async function commitSettingAfter(work: (em: EntityManager) => Promise<unknown>): Promise<string> {
  return inTransaction(kinga.database.orm.em.fork(), { actor: 'test' }, async (em) => {
    await work(em);
    const [row] = await emQueryable(em).query<{ synchronous_commit: string }>(sql`show synchronous_commit`);
    return row!.synchronous_commit;
  });
}

t.test("an enquiry's insert commits without waiting for disk; nothing else does", async (t) => {
  const relaxed = await commitSettingAfter(async (em) => {
    const enquiry = em.create(
      EligibilityEnquiry,
      {
        version: 1,
        insuree: null,
        patientGiven: 'Patient/unknown',
        requestCreated: '2026-11-24',
        requestedAt: new Date('2026-11-24T00:00:00Z'),
        servicedDate: '2026-11-24',
        purposes: ['benefits'],
        facility: null,
        requested: [],
        clientIdentifiers: [],
        assessment: { date: '2026-11-24', insurances: [], errors: ['patient-unknown'] },
        askedBy: null,
      } as never,
      { persist: false, processOnCreateHooksEarly: true },
    );
    await emQueryable(em).query(enquiriesInsertSql([enquiry], { ownTransaction: true }));
  });
  t.equal(relaxed, 'off', "relaxed by the enquiry's insert");
  const claims = await commitSettingAfter((em) => sqlEligibilityReads(em).patientAndRequested(question));
  t.equal(claims, 'on', 'claims read as eligibility does and keep durable commits');
  const [after] = await emQueryable(kinga.database.orm.em.fork()).query<{ synchronous_commit: string }>(
    sql`show synchronous_commit`,
  );
  t.equal(after!.synchronous_commit, 'on', 'the setting ends with its transaction (SET LOCAL)');
});

t.test("an enquiry in a transaction Bundle leaves the Bundle's commit durable", async (t) => {
  const module = kinga.database.registry.get('CoverageEligibilityRequest')!;
  const input = {
    patient: { insuranceNumber: 'nobody-in-a-bundle' },
    patientGiven: 'Patient/nobody-in-a-bundle',
    requestCreated: '2026-11-24',
    requestedAt: new Date('2026-11-24T00:00:00Z'),
    purposes: ['benefits'],
    requested: [],
    clientIdentifiers: [],
  };
  // As a transaction Bundle runs a create: on the transaction's entity manager and connection.
  const setting = await commitSettingAfter((em) =>
    module.createAtOnce!(emQueryable(em), em, input, { config: kinga.config, baseUrl: 'http://test' }, {}),
  );
  t.equal(setting, 'on', 'a claim in the same Bundle would otherwise commit without waiting for disk');
});
