import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../../../domain/shared/ids.ts';

/**
 * running: sent, no answer yet (or the process died); success: DHIS2 took every value;
 * conflict: DHIS2 ignored some values (409, or an import summary WARNING): a data problem, kept
 * with its conflicts and not retried; error: DHIS2 refused the request (another 4xx, or a summary
 * ERROR): a configuration problem, not retried; failed: no answer or a 5xx: retried by the queue.
 */
export const PushRunStatuses = ['running', 'success', 'conflict', 'error', 'failed'] as const;
export type PushRunStatus = (typeof PushRunStatuses)[number];
export const PushFormats = ['json', 'adx'] as const;
export type PushFormat = (typeof PushFormats)[number];

/** One conflict of a DHIS2 import summary: what it is about, its message, the values it rejected. */
export interface PushConflict {
  object: string;
  value: string;
  errorCode?: string;
  property?: string;
  indexes?: number[];
}

/**
 * One push of one data set's period to one DHIS2 instance (integrations.md Part C: "records
 * per-run audit"): what was sent and what DHIS2's import summary said. Each attempt is a run of
 * its own, so a retried push shows its failure and then its success.
 */
export const Dhis2PushRunSchema = defineEntity({
  name: 'Dhis2PushRun',
  tableName: 'dhis2_push_run',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    /** The instance's name in DHIS2_INSTANCES, and the URL pushed to (the config may change). */
    instance: p.string().length(100),
    url: p.text(),
    dataSet: p.string().length(50),
    /** The DHIS2 period (202611). */
    period: p.string().length(20),
    format: p.enum(PushFormats),
    /** job:push-dhis2, or the client that asked (POST /dhis2/push). */
    actor: p.string().length(100),
    status: p.enum(PushRunStatuses).default('running'),
    /** DHIS2's HTTP status; null without an answer. */
    httpStatus: p.integer().nullable(),
    /** Data values sent. */
    valuesSent: p.integer().default(0),
    imported: p.integer().nullable(),
    updated: p.integer().nullable(),
    ignored: p.integer().nullable(),
    deleted: p.integer().nullable(),
    conflicts: p.json<PushConflict[]>().nullable(),
    /** DHIS2's message, or what went wrong (a network error, an answer that is no import summary). */
    message: p.text().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [
    {
      name: 'dhis2_push_run_push_index',
      expression:
        'create index "dhis2_push_run_push_index" on "dhis2_push_run" ("instance", "data_set", "period", "started_at")',
    },
  ],
});
export class Dhis2PushRun extends Dhis2PushRunSchema.class {}
Dhis2PushRunSchema.setClass(Dhis2PushRun);
