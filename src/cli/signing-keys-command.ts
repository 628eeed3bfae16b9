import type { MikroORM } from '@mikro-orm/core';
import { listSigningKeys, retireSigningKey } from '../platform/auth/signing-key-store.ts';
import { UsageError } from './usage-error.ts';

/** `keys list|retire`: Kinga's own token-signing keys (rotation: set a new SIGNING_KEY, wait, retire the old). */
export async function signingKeysCommand(orm: MikroORM, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (action === 'list') {
    for (const key of await listSigningKeys(orm)) {
      const state = key.retiredAt ? `retired ${key.retiredAt.toISOString()}` : 'active';
      const origin = key.storedPrivately ? 'generated' : 'SIGNING_KEY';
      console.log(`${key.kid}\t${key.alg}\t${origin}\t${key.createdAt.toISOString()}\t${state}`);
    }
    return;
  }
  if (action === 'retire') {
    const [kid] = rest;
    if (!kid || rest.length > 1) {
      throw new UsageError('keys retire <kid>');
    }
    await retireSigningKey(orm, kid);
    console.log(`Retired key ${kid}; restart the servers to stop accepting its tokens.`);
    return;
  }
  throw new UsageError(`unknown keys action ${action ?? '(none)'}`);
}
