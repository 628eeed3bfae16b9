import { defineEntity, p } from '@mikro-orm/core';
import { newId } from '../shared/ids.ts';
import { Officer } from '../officer/officer.entity.ts';
import { Product } from '../product/product.entity.ts';
import { Policy } from './policy.entity.ts';

export const RenewalPromptStatuses = ['pending', 'renewed', 'declined'] as const;

/**
 * A reminder, some days before a policy expires, that its family should renew: under the product
 * that replaces it (conversion chain) and through the officer now in charge (substitute chain).
 */
export const RenewalPromptSchema = defineEntity({
  name: 'RenewalPrompt',
  tableName: 'renewal_prompt',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    policy: () => p.manyToOne(Policy).unique(),
    product: () => p.manyToOne(Product),
    officer: () => p.manyToOne(Officer).nullable(),
    promptDate: p.date(),
    /** Why the renewal needs attention: product replaced, officer replaced, no officer, … */
    warnings: p.json<string[]>().default('[]'),
    status: p.enum(RenewalPromptStatuses).default('pending'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class RenewalPrompt extends RenewalPromptSchema.class {}
RenewalPromptSchema.setClass(RenewalPrompt);
