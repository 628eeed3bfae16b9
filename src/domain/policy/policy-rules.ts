import type { ActivationOption } from './policy-settlement.ts';

/** The scheme-wide settings the policy rules read (config AGE_OF_MAJORITY, POLICY_ACTIVATION). */
export interface PolicyRules {
  /** Members this old on the policy's start date pay the adult premium. */
  ageOfMajority: number;
  activation: ActivationOption;
}

/** From the application's configuration (structurally, so the domain needs no platform import). */
export function policyRulesFrom(settings: {
  AGE_OF_MAJORITY: number;
  POLICY_ACTIVATION: ActivationOption;
}): PolicyRules {
  return { ageOfMajority: settings.AGE_OF_MAJORITY, activation: settings.POLICY_ACTIVATION };
}
