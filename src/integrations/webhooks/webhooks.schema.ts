import { OutboundEventTypes } from '../../domain/payment/outbound-event.entity.ts';
import { problemResponse } from '../../platform/errors/problem-schema.ts';

/**
 * Route schemas of /webhooks/subscribers: they validate the bodies, shape the answers and document
 * both in the OpenAPI document.
 */
const security = [{ smartBackendServices: [] }];
const tags = ['Webhooks'];

const problem = problemResponse;

const errors = {
  401: problem('Missing or invalid access token'),
  403: problem('The token has no system/Subscription scope for this'),
};

const eventTypes = {
  type: 'array',
  items: { type: 'string', enum: [...OutboundEventTypes] },
  minItems: 1,
  uniqueItems: true,
  description:
    'payment.received (every payment or reversal allocated), policy.activated, policy.balance-due (a policy still owes)',
};

const subscriberProperties = {
  id: { type: 'string', format: 'uuid' },
  url: { type: 'string' },
  description: { type: ['string', 'null'] },
  eventTypes,
  status: { type: 'string', enum: ['active', 'disabled'] },
  disabledReason: { type: ['string', 'null'], description: 'Who disabled it, or the 410 Gone that did' },
  disabledAt: { type: ['string', 'null'], format: 'date-time' },
  createdBy: { type: 'string', description: 'The API client that created it' },
  createdAt: { type: 'string', format: 'date-time' },
};

const subscriber = (description: string) => ({
  description,
  type: 'object',
  properties: subscriberProperties,
});

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', description: 'The subscriber id (UUID)' } },
  required: ['id'],
};

export const webhookRouteSchemas = {
  create: {
    tags,
    summary: 'Subscribe a system to outbound events (Standard Webhooks)',
    description:
      'Each event is POSTed as {type, timestamp, data} with the Standard Webhooks headers webhook-id (the event id, ' +
      'the same on every attempt), webhook-timestamp and webhook-signature (v1, HMAC-SHA256 with the secret). A 2xx ' +
      'is delivered; 410 disables the subscriber; anything else is retried with backoff for about three days ' +
      '(Retry-After honoured). The secret is answered here only. Needs system/Subscription.c.',
    security,
    body: {
      type: 'object',
      required: ['url', 'eventTypes'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', maxLength: 2000, description: 'http(s) URL; private addresses are refused' },
        eventTypes,
        secret: {
          type: 'string',
          maxLength: 100,
          description: 'whsec_ + base64 of 24–64 random bytes; absent: one is generated',
        },
        description: { type: 'string', maxLength: 200 },
      },
    },
    response: {
      201: {
        description: 'The subscriber, with its secret (shown this once)',
        type: 'object',
        properties: { ...subscriberProperties, secret: { type: 'string' } },
      },
      400: problem('Malformed body or secret'),
      422: problem('The URL is refused'),
      ...errors,
    },
  },
  list: {
    tags,
    summary: 'List webhook subscribers (without their secrets)',
    description: 'Needs system/Subscription.s.',
    security,
    response: {
      200: {
        description: 'Every subscriber, oldest first',
        type: 'object',
        properties: {
          subscribers: { type: 'array', items: { type: 'object', properties: subscriberProperties } },
        },
      },
      ...errors,
    },
  },
  read: {
    tags,
    summary: 'Read a webhook subscriber (without its secret) and its deliveries by status',
    description: 'Needs system/Subscription.r.',
    security,
    params: idParams,
    response: {
      200: {
        description: 'The subscriber',
        type: 'object',
        properties: {
          ...subscriberProperties,
          deliveries: {
            type: 'object',
            description: 'How many deliveries are pending, delivered and failed',
            properties: {
              pending: { type: 'integer' },
              delivered: { type: 'integer' },
              failed: { type: 'integer' },
            },
          },
        },
      },
      404: problem('No such subscriber'),
      ...errors,
    },
  },
  remove: {
    tags,
    summary: 'Disable a webhook subscriber',
    description:
      'It receives nothing more and its pending deliveries are stopped; it is kept, disabled, with its ' +
      'delivery history. Needs system/Subscription.d.',
    security,
    params: idParams,
    response: { 200: subscriber('The subscriber, disabled'), 404: problem('No such subscriber'), ...errors },
  },
};
