import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Config } from '../config/config.ts';
import type { ClientRegistry } from './client-registry.ts';

export const BOOTSTRAP_SCOPES = 'system/*.cruds';

/**
 * The first client of a new deployment (KINGA_BOOTSTRAP_CLIENT_ID/SECRET): on every start it exists
 * with full scope and the configured secret, so an operator can always reach the API.
 */
export async function ensureBootstrapClient(config: Config, clients: ClientRegistry): Promise<void> {
  const clientId = config.KINGA_BOOTSTRAP_CLIENT_ID;
  const secret = config.KINGA_BOOTSTRAP_CLIENT_SECRET;
  if (!clientId || !secret) {
    return;
  }
  const ensure = () => clients.ensureSecretClient(clientId, 'Bootstrap client', BOOTSTRAP_SCOPES, secret);
  try {
    await ensure();
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (!(error instanceof UniqueConstraintViolationException)) {
      throw error;
    }
    await ensure();
  }
}
