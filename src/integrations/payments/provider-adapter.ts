import type { FastifyRequest } from 'fastify';
import type { PaymentEvent, PaymentProvider } from '../../domain/payment/payment-event.ts';
import type { Config } from '../../platform/config/config.ts';

/** A provider callback as the adapter sees it: the raw bytes (signatures), the parsed body, the request. */
export interface Callback {
  rawBody: string;
  body: unknown;
  request: FastifyRequest<{ Params: Record<string, string> }>;
}

/** What to answer the provider, in the shape and status it expects. */
export interface ProviderReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One endpoint of a provider (integrations.md §5): where it calls, how its caller is
 * authenticated, how its body becomes canonical events, and what it expects back. The route stores
 * the events in the inbox (each once) before it answers, and allocation happens after, on the job
 * queue: the provider is answered within milliseconds.
 */
export interface ProviderEndpoint {
  provider: PaymentProvider;
  method: 'POST' | 'PUT';
  /** Under /payments; may hold the provider's path secret as `:secret`. */
  url: string;
  summary: string;
  /**
   * Refuses a caller that is not the provider (throw a KingaError: 401/403): a path secret, a
   * source IP allow-list, an HMAC or a JWS, as the provider offers. Runs before anything is stored.
   */
  authenticate(callback: Callback, config: Config): Promise<void> | void;
  /** The body as canonical events; none for a callback that moves no money (a pending status). */
  events(callback: Callback, config: Config): PaymentEvent[];
  /** The provider's acknowledgement, once the events are stored. */
  reply(callback: Callback, events: PaymentEvent[]): ProviderReply;
  /**
   * A question the provider asks before the payment (M-Pesa C2B validation): answered at once,
   * nothing stored. When present, `events` and storing are skipped.
   */
  answer?(callback: Callback, lookup: ReferenceLookup): Promise<ProviderReply>;
}

/** Whether a payment reference or insurance number is known, for validation callbacks. */
export type ReferenceLookup = (reference: string, amount?: string) => Promise<'ok' | 'unknown' | 'amount'>;
