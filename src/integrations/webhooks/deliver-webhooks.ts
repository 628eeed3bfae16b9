import type { MikroORM } from '@mikro-orm/postgresql';
import { newId } from '../../domain/shared/ids.ts';
import { emQueryable } from '../../platform/database/queryable.ts';
import { sql } from '../../platform/database/sql.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { nextAttemptAt } from './retry-schedule.ts';
import { sendWebhook, type WebhookOutcome } from './send-webhook.ts';
import { webhookBody, webhookHeaders } from './standard-webhooks.ts';
import { disableSubscriber } from './webhook-subscribers.ts';

const ACTOR = 'job:deliver-webhooks';
/**
 * How far before a subscriber's fan-out mark events are looked for again: an event's time is set
 * in its transaction, which may commit after a run has passed that time.
 */
const LOOKBACK = '1 hour';
/**
 * Each subscriber's deliveries are sent one after the other, so a batch takes at most this many of
 * one subscriber: a slow receiver (15 s each) keeps a batch busy for minutes at most.
 */
const PER_SUBSCRIBER = 5;
const BATCH_SIZE = 50;
/**
 * A delivery taken is held this long (a lease): longer than a batch can take (a few subscribers'
 * five 15-second attempts, eight subscribers at once), so it is never sent twice at once; a run
 * that crashed leaves its deliveries to be taken again after it.
 */
const LEASE = '5 minutes';

export interface DeliveryOptions {
  allowPrivateHosts: boolean;
  /** Deliveries taken per round. */
  batchSize?: number;
  /** At most this many attempts per run; the next run carries on. */
  limit?: number;
  /** Subscribers sent to at once (each receives its deliveries one after the other). */
  concurrency?: number;
}

export interface DeliverySummary {
  fannedOut: number;
  delivered: number;
  retrying: number;
  failed: number;
  disabledSubscribers: number;
}

interface DueDelivery {
  id: string;
  attempts: number;
  subscriber_id: string;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  /** ISO 8601, UTC, milliseconds (the time the event was written with). */
  occurred_at: string;
  data: unknown;
}

/**
 * The outbox's sender: fans new events out to the active subscribers of their type (one delivery
 * per event and subscriber), then sends what is due. 2xx: delivered. 410 Gone: the subscriber is
 * disabled and its pending deliveries stopped. Anything else (429, 5xx, a timeout, a refused
 * connection): tried again on the retry schedule, then failed. Safe to run twice at once: a
 * delivery is leased by the run that takes it.
 */
export async function deliverWebhooks(orm: MikroORM, options: DeliveryOptions): Promise<DeliverySummary> {
  const summary: DeliverySummary = {
    fannedOut: 0,
    delivered: 0,
    retrying: 0,
    failed: 0,
    disabledSubscribers: 0,
  };
  summary.fannedOut = await fanOut(orm);
  const limit = options.limit ?? 5_000;
  let taken = 0;
  while (taken < limit) {
    const due = await takeDue(orm, Math.min(options.batchSize ?? BATCH_SIZE, limit - taken));
    if (due.length === 0) {
      break;
    }
    taken += due.length;
    await sendAll(orm, due, options, summary);
  }
  return summary;
}

/**
 * New deliveries for events since each active subscriber's mark; the mark moves to now. The
 * subscribers are locked meanwhile, so one being disabled waits, then stops these deliveries too.
 */
async function fanOut(orm: MikroORM): Promise<number> {
  return inTransaction(orm.em.fork(), { actor: ACTOR }, async (tx) => {
    const db = emQueryable(tx);
    const pairs = await db.query<{ event_id: string; subscriber_id: string }>(sql`
      select e.id as event_id, s.id as subscriber_id
        from webhook_subscriber s
        join outbound_event e
          on e.occurred_at >= s.created_at
         and e.occurred_at > s.fanned_out_until - ${LOOKBACK}::interval
         and s.event_types @> jsonb_build_array(e.type)
       where s.status = 'active'
         and not exists (
           select 1 from webhook_delivery d where d.event_id = e.id and d.subscriber_id = s.id)
       order by e.occurred_at
         for no key update of s`);
    if (pairs.length > 0) {
      await db.query(sql`
        insert into webhook_delivery (id, event_id, subscriber_id, status, attempts, next_attempt_at, created_at)
        select id, event_id, subscriber_id, 'pending', 0, now(), now()
          from unnest(${pairs.map(() => newId())}::uuid[], ${pairs.map((p) => p.event_id)}::uuid[],
                      ${pairs.map((p) => p.subscriber_id)}::uuid[]) as t(id, event_id, subscriber_id)
        on conflict do nothing`);
    }
    await db.query(sql`update webhook_subscriber set fanned_out_until = now() where status = 'active'`);
    return pairs.length;
  });
}

/**
 * Takes due deliveries, oldest first and at most PER_SUBSCRIBER of each subscriber, leasing each
 * (SKIP LOCKED: two runs never take the same one).
 */
async function takeDue(orm: MikroORM, count: number): Promise<DueDelivery[]> {
  return emQueryable(orm.em.fork()).query<DueDelivery>(sql`
    with due as (
      select id from webhook_delivery
       where status = 'pending' and next_attempt_at <= now()
         and id in (
           select id from (
             select id, row_number() over (partition by subscriber_id order by next_attempt_at, id) as place
               from webhook_delivery
              where status = 'pending' and next_attempt_at <= now()) ranked
            where place <= ${PER_SUBSCRIBER})
       order by next_attempt_at
       limit ${count}
       for update skip locked
    ), taken as (
      update webhook_delivery d set next_attempt_at = now() + ${LEASE}::interval
        from due where d.id = due.id
      returning d.id, d.attempts, d.subscriber_id, d.event_id
    )
    select t.id, t.attempts, t.subscriber_id, s.url, s.secret, t.event_id, e.type, e.data,
           to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at
      from taken t
      join webhook_subscriber s on s.id = t.subscriber_id
      join outbound_event e on e.id = t.event_id
     order by e.occurred_at, e.id`);
}

/** Each subscriber's deliveries in order, one at a time; several subscribers at once. */
async function sendAll(
  orm: MikroORM,
  due: DueDelivery[],
  options: DeliveryOptions,
  summary: DeliverySummary,
): Promise<void> {
  const bySubscriber = new Map<string, DueDelivery[]>();
  for (const delivery of due) {
    bySubscriber.set(delivery.subscriber_id, [...(bySubscriber.get(delivery.subscriber_id) ?? []), delivery]);
  }
  const queues = [...bySubscriber.values()];
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const delivery of queue) {
        const gone = await attempt(orm, delivery, options, summary);
        if (gone) {
          // Its other deliveries were stopped with it.
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
}

/** One attempt and its outcome recorded; true when the subscriber is gone (410). */
async function attempt(
  orm: MikroORM,
  delivery: DueDelivery,
  options: DeliveryOptions,
  summary: DeliverySummary,
): Promise<boolean> {
  const sentAt = new Date();
  const body = webhookBody({ type: delivery.type, timestamp: delivery.occurred_at, data: delivery.data });
  const outcome = await sendWebhook({
    url: delivery.url,
    headers: webhookHeaders(delivery.secret, { id: delivery.event_id, sentAt, body }),
    body,
    allowPrivateHosts: options.allowPrivateHosts,
  });
  return record(orm, delivery, outcome, sentAt, summary);
}

async function record(
  orm: MikroORM,
  delivery: DueDelivery,
  outcome: WebhookOutcome,
  sentAt: Date,
  summary: DeliverySummary,
): Promise<boolean> {
  const { status } = outcome;
  const error = outcome.error?.slice(0, 2000) ?? null;
  const attempts = delivery.attempts + 1;
  return inTransaction(orm.em.fork(), { actor: ACTOR }, async (tx) => {
    const db = emQueryable(tx);
    if (status !== null && status >= 200 && status < 300) {
      await db.query(sql`
        update webhook_delivery
           set status = 'delivered', attempts = ${attempts}, next_attempt_at = null, last_status = ${status},
               last_error = null, last_attempt_at = ${sentAt}
         where id = ${delivery.id} and status = 'pending'`);
      summary.delivered += 1;
      return false;
    }
    if (status === 410) {
      await db.query(sql`
        update webhook_delivery
           set status = 'failed', attempts = ${attempts}, next_attempt_at = null, last_status = 410,
               last_error = ${error}, last_attempt_at = ${sentAt}
         where id = ${delivery.id} and status = 'pending'`);
      const reason = `the endpoint answered 410 Gone on ${sentAt.toISOString()}`;
      if (await disableSubscriber(db, delivery.subscriber_id, reason)) {
        summary.disabledSubscribers += 1;
      }
      summary.failed += 1;
      return true;
    }
    const next = nextAttemptAt(attempts, sentAt, outcome.retryAfter);
    await db.query(sql`
      update webhook_delivery
         set status = ${next ? 'pending' : 'failed'}, attempts = ${attempts}, next_attempt_at = ${next},
             last_status = ${status}, last_error = ${error}, last_attempt_at = ${sentAt}
       where id = ${delivery.id} and status = 'pending'`);
    summary[next ? 'retrying' : 'failed'] += 1;
    return false;
  });
}
