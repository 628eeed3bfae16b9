import type { MikroORM } from '@mikro-orm/postgresql';
import { PgBoss } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';

/** What a job's work may use: the ORM (each batch in its own `inTransaction`) and the log. */
export interface JobContext {
  orm: MikroORM;
  log: JobLog;
}

/** The application's logger (fastify's pino), or any pino logger. */
export type JobLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

/**
 * A job run on the queue: on its cron schedule, or when sent (`JobService.send`) with `data`.
 * `run` returns a summary, kept as the job's output and logged.
 */
export interface ScheduledJob<Data extends object = Record<string, unknown>> {
  /** The queue's name. */
  name: string;
  cron: string;
  /**
   * singleton (default): one run at a time, runs sent meanwhile wait their turn. stately: also at
   * most one waiting — a job woken by every event (payment allocation) collapses the wake-ups.
   */
  policy?: 'singleton' | 'stately';
  run(data: Data, context: JobContext): Promise<object>;
}

export interface JobServiceOptions {
  /** The application's database: pg-boss keeps its tables in `schema` there. */
  url: string;
  schema?: string;
  /** Zone of the cron expressions. */
  timeZone: string;
  jobs: readonly ScheduledJob<any>[];
  context: JobContext;
  /** Install the cron schedules (default true); off, jobs run only when sent. */
  schedule?: boolean;
  /**
   * Take jobs off the queues (default true). Off, the service only sends: an API server whose jobs
   * run in a separate worker process (npm run worker) still wakes them.
   */
  work?: boolean;
  poolSize?: number;
}

export const JOBS_SCHEMA = 'kinga_jobs';

/**
 * The job queue: pg-boss on the application's PostgreSQL, in a schema of its own. Queues are
 * `singleton` (one run of a job at a time, across every instance of the server, so two sweeps
 * never fight over the same policies); failures are retried with backoff and then kept as failed
 * jobs to inspect. pg-boss deduplicates cron schedules across instances.
 */
export class JobService {
  readonly #boss: PgBoss;
  readonly #options: JobServiceOptions;

  constructor(options: JobServiceOptions) {
    this.#options = options;
    this.#boss = new PgBoss({
      connectionString: options.url,
      schema: options.schema ?? JOBS_SCHEMA,
      max: options.poolSize ?? 4,
      application_name: 'kinga-jobs',
      schedule: options.schedule ?? true,
    });
  }

  async start(): Promise<void> {
    const { log } = this.#options.context;
    this.#boss.on('error', (err) => log.error({ err }, 'job queue error'));
    this.#boss.on('warning', (warning) => log.warn({ data: warning.data }, `job queue: ${warning.message}`));
    await this.#boss.start();
    for (const job of this.#options.jobs) {
      await this.#boss.createQueue(job.name, {
        policy: job.policy ?? 'singleton',
        retryLimit: 3,
        retryDelay: 60,
        retryBackoff: true,
        expireInSeconds: 60 * 60,
      });
      if (this.#options.work === false) {
        continue;
      }
      await this.#boss.work<object>(job.name, async ([received]) => {
        if (!received) {
          return {};
        }
        const summary = await job.run(received.data ?? {}, this.#options.context);
        log.info({ job: job.name, jobId: received.id, ...summary }, 'job completed');
        return summary;
      });
      if (this.#options.schedule ?? true) {
        await this.#boss.schedule(job.name, job.cron, null, { tz: this.#options.timeZone });
      }
    }
  }

  /**
   * Queues a run now; `data` reaches the job's `run` (e.g. `{ today: '2024-07-01' }`). `retry`
   * overrides the queue's retries for this run (a test retrying in a second, not a minute).
   */
  async send(
    name: string,
    data: object = {},
    retry?: { retryLimit?: number; retryDelay?: number; retryBackoff?: boolean },
  ): Promise<string | null> {
    return retry ? this.#boss.send(name, data, retry) : this.#boss.send(name, data);
  }

  /** The state and output of a run. */
  async find(name: string, id: string): Promise<{ state: string; output: object } | undefined> {
    const [job] = await this.#boss.findJobs(name, { id });
    return job ? { state: job.state, output: job.output } : undefined;
  }

  /** Stops taking jobs, lets running ones finish (up to `timeoutMs`), and closes the pool. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.#boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}
