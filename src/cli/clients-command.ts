import type { MikroORM } from '@mikro-orm/core';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ClientRegistry, type ClientRegistration } from '../platform/auth/client-registry.ts';
import { UsageError } from './usage-error.ts';

/** `clients create|list|disable`: register API clients, see them, switch them off. */
export async function clientsCommand(orm: MikroORM, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const registry = new ClientRegistry(orm);
  if (action === 'create') {
    return create(registry, rest);
  }
  if (action === 'list') {
    return list(registry);
  }
  if (action === 'disable') {
    const [clientId] = rest;
    if (!clientId || rest.length > 1) {
      throw new UsageError('clients disable <client_id>');
    }
    await registry.disable(clientId);
    console.log(`Disabled client ${clientId}; its tokens expire within 5 minutes.`);
    return;
  }
  throw new UsageError(`unknown clients action ${action ?? '(none)'}`);
}

async function create(registry: ClientRegistry, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      'jwks-file': { type: 'string' },
      'jwks-url': { type: 'string' },
      facility: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name || !values.scopes) {
    throw new UsageError('clients create needs --name and --scopes');
  }
  if (values['jwks-file'] && values['jwks-url']) {
    throw new UsageError('give --jwks-file or --jwks-url, not both');
  }
  const registration: ClientRegistration = { name: values.name, scopes: values.scopes };
  if (values['jwks-file']) {
    registration.jwks = await readJwks(values['jwks-file']);
  }
  if (values['jwks-url']) {
    registration.jwksUrl = values['jwks-url'];
  }
  if (values.facility) {
    registration.facilityId = values.facility;
  }
  const created = await registry.register(registration);
  console.log(`Created client "${values.name}"`);
  console.log(`client_id: ${created.clientId}`);
  if (created.secret) {
    console.log(`client_secret: ${created.secret}`);
    console.log('The secret is shown only now: store it safely. Only its hash is kept.');
  }
}

async function readJwks(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`cannot read a JWKS from ${file}: ${(error as Error).message}`);
  }
}

async function list(registry: ClientRegistry): Promise<void> {
  const clients = await registry.list();
  if (clients.length === 0) {
    console.log('No clients.');
    return;
  }
  for (const c of clients) {
    const facility = c.facilityId ? ` facility=${c.facilityId}` : '';
    const state = c.enabled ? 'enabled' : 'DISABLED';
    console.log(`${c.clientId}\t${state}\t${c.authentication}\t${c.name}\t${c.scopes}${facility}`);
  }
}
