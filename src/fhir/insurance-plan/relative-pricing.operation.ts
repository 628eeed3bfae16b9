import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';
import type { RelativePricingRun } from '../../domain/claim/relative-pricing/relative-pricing-run.entity.ts';
import { reverseRelativePricing } from '../../domain/claim/relative-pricing/reverse-relative-pricing.ts';
import { runRelativePricing } from '../../domain/claim/relative-pricing/run-relative-pricing.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import type { Config } from '../../platform/config/config.ts';
import { inTransaction } from '../../platform/database/unit-of-work.ts';
import { todayIn } from '../../platform/jobs/scheme-today.ts';
import {
  parameterPath,
  parametersNamed,
  stringParameter,
  withParameterPaths,
  type FhirOperation,
  assertNotFacilityBound,
  instanceIdOf,
} from '../core/operation.ts';
import { fhirMoney } from '../shared/policy-values.ts';

/** What the call did: priced the period, found it already priced, or took its prices back. */
type Outcome = 'ran' | 'existing' | 'reversed';

/**
 * POST InsurancePlan/[id]/$relative-pricing: the relative-pricing batch of that product for one
 * period, on demand (the monthly job runs the same use case), or its reversal (`reverse`).
 */
export function relativePricingOperation(config: Config): FhirOperation {
  return {
    name: 'relative-pricing',
    definitionId: 'InsurancePlan-relative-pricing',
    resourceType: 'InsurancePlan',
    instance: true,
    methods: ['POST'],
    // What it changes is claims: what facilities are paid.
    requires: { resourceType: 'Claim', permission: 'u' },
    produces: 'application/fhir+json',
    summary: "Run (or reverse) the relative-pricing batch of a product's period",
    description:
      'Parameters: period (YYYY-MM, YYYY-Qn or YYYY, a period of the product that has ended) and reverse ' +
      "(boolean). The period's contributions (premiums spread over each policy's days of cover, times the " +
      'distribution share) over the nominal value of the relative-price lines of the processed claims treated in it ' +
      'give the index (capped at 1); each line is paid benefit × index and its claim valuated, publishing a new ' +
      'ClaimResponse version. A period runs once: asked again, the same run is answered and nothing changes. ' +
      'reverse=true takes the prices back (claims processed again), after which the period may run again. ' +
      'Answers a Parameters describing the run.',
    async run(context, input) {
      assertNotFacilityBound(context, 'relative-pricing', 'Claim');
      const id = instanceIdOf(input, 'InsurancePlan');
      const period = stringParameter(input.parameters, 'period');
      if (period === undefined) {
        throw new KingaError(
          'operation.parameter-invalid',
          { name: 'period', detail: 'is required' },
          { expression: parameterPath('period') },
        );
      }
      const reverse = booleanParameter(input.parameters, 'reverse');
      const actor = context.principal.clientId;
      const answer = await inTransaction(context.em, { actor, requestId: context.requestId }, (tx) =>
        withParameterPaths({ period: parameterPath('period') }, async () => {
          if (reverse) {
            const { run } = await reverseRelativePricing(tx, { productId: id, period, actor });
            return { run, outcome: 'reversed' as const };
          }
          const today = todayIn(config.SCHEME_TIME_ZONE);
          const { run, created } = await runRelativePricing(tx, { productId: id, period, today, actor });
          return { run, outcome: created ? ('ran' as const) : ('existing' as const) };
        }),
      );
      return { kind: 'resource', resource: runParameters(answer.run, answer.outcome, config.CURRENCY) };
    },
  };
}

function booleanParameter(parameters: Parameters, name: string): boolean {
  const found = parametersNamed(parameters, name);
  if (found.length > 1) {
    throw new KingaError('operation.parameter-invalid', { name, detail: 'given more than once' });
  }
  const p = found[0];
  if (!p) {
    return false;
  }
  const value =
    p.valueBoolean ?? (p.valueString === 'true' ? true : p.valueString === 'false' ? false : undefined);
  if (value === undefined) {
    throw new KingaError(
      'operation.parameter-invalid',
      { name, detail: 'must be true or false' },
      { expression: parameterPath(name) },
    );
  }
  return value;
}

function runParameters(run: RelativePricingRun, outcome: Outcome, currency: string): Parameters {
  const index = (name: string, value: string | null | undefined): ParametersParameter[] =>
    value == null ? [] : [{ name, valueDecimal: Number(value) }];
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'outcome', valueCode: outcome },
      { name: 'run', valueId: run.id },
      { name: 'plan', valueReference: { reference: `InsurancePlan/${run.product.id}` } },
      { name: 'periodCode', valueString: run.periodCode },
      { name: 'periodStart', valueDate: run.periodStart },
      { name: 'periodEnd', valueDate: run.periodEnd },
      { name: 'status', valueCode: run.status },
      { name: 'distribution', valueDecimal: Number(run.distributionPercent) },
      { name: 'contributions', valueMoney: fhirMoney(run.contributions, currency) },
      { name: 'nominal', valueMoney: fhirMoney(run.nominal, currency) },
      ...index('index', run.indexGeneral),
      ...index('indexInPatient', run.indexInPatient),
      ...index('indexOutPatient', run.indexOutPatient),
      { name: 'claims', valueInteger: run.claims },
      { name: 'lines', valueInteger: run.lines },
      { name: 'created', valueDateTime: run.createdAt.toISOString() },
      ...(run.reversedAt ? [{ name: 'reversed', valueDateTime: run.reversedAt.toISOString() }] : []),
    ],
  };
}
