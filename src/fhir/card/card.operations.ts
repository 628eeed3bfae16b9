import type { Parameters } from '@medplum/fhirtypes';
import { cardsToPrint, MAX_CARDS_PER_RUN } from '../../domain/card/cards-to-print.ts';
import { KingaError } from '../../domain/shared/errors.ts';
import {
  integerParameter,
  parameterPath,
  parametersNamed,
  stringParameter,
  withParameterPaths,
  type FhirOperation,
} from '../core/operation.ts';
import { referenceId } from '../shared/fhir-values.ts';
import { healthCardKeys } from '../../platform/auth/health-card-keys.ts';
import { cardsOf, healthCardOf, memberOf, printCards } from './issue-cards.ts';
import { HEALTH_CARD_TYPE, verifyHealthCard } from './health-card.ts';

const PDF = 'application/pdf';

/** GET Patient/[id]/$card: the member's printable card. */
export const cardOperation: FhirOperation = {
  name: 'card',
  definitionId: 'Patient-card',
  resourceType: 'Patient',
  instance: true,
  methods: ['GET'],
  requires: { resourceType: 'Patient', permission: 'r' },
  produces: PDF,
  summary: "The member's printable membership card (PDF, ID-1 size)",
  description:
    'One ID-1 page (85.60 × 53.98 mm): name, insurance number, birth date, the product of the current policy ' +
    '(or "no active policy"), the photo when the Patient has one (JPEG or PNG data), and a QR code holding the ' +
    "card's SMART Health Card, verifiable offline against /.well-known/jwks.json.",
  async run(context, input) {
    const member = await memberOf(context, input.id);
    return {
      kind: 'binary',
      contentType: PDF,
      body: await printCards(context, [member]),
      filename: `card-${member.insuranceNumber}.pdf`,
    };
  },
};

/** POST Patient/$cards: a printing run, one card per page. */
export const cardsOperation: FhirOperation = {
  name: 'cards',
  definitionId: 'Patient-cards',
  resourceType: 'Patient',
  instance: false,
  methods: ['POST'],
  requires: { resourceType: 'Patient', permission: 's' },
  produces: PDF,
  summary: 'A printing run: many membership cards in one PDF',
  description:
    'Parameters: patient (Reference, repeating), village (Reference to a Location) and/or officer (Reference to ' +
    `an enrolment officer's Practitioner: the people of their villages); all given must hold. At most ` +
    `${MAX_CARDS_PER_RUN} cards per run, by insurance number: count and offset page through larger runs, and ` +
    'the X-Total-Count header says how many insurees the selection holds.',
  async run(context, input) {
    const { parameters } = input;
    const patients = parametersNamed(parameters, 'patient').map((p) => {
      const id = referenceId(p.valueReference, 'Patient', parameterPath('patient'));
      if (!id) {
        throw new KingaError(
          'operation.parameter-invalid',
          { name: 'patient', detail: 'is a Reference to a Patient' },
          { expression: parameterPath('patient') },
        );
      }
      return id;
    });
    const villageId = referenceOf(parameters, 'village', 'Location');
    const officerId = referenceOf(parameters, 'officer', 'Practitioner');
    const count = integerParameter(parameters, 'count');
    const offset = integerParameter(parameters, 'offset');
    const run = await withParameterPaths(
      {
        patient: parameterPath('patient'),
        village: parameterPath('village'),
        officer: parameterPath('officer'),
        count: parameterPath('count'),
      },
      () =>
        cardsToPrint(context.em, {
          ...(patients.length > 0 ? { insureeIds: patients } : {}),
          ...(villageId ? { villageId } : {}),
          ...(officerId ? { officerId } : {}),
          ...(count === undefined ? {} : { count }),
          ...(offset === undefined ? {} : { offset: Math.max(0, offset) }),
        }),
    );
    if (run.members.length === 0) {
      throw new KingaError('card.none-selected');
    }
    return {
      kind: 'binary',
      contentType: PDF,
      body: await printCards(context, run.members),
      filename: 'cards.pdf',
      headers: { 'X-Total-Count': String(run.total) },
    };
  },
};

/** POST Patient/[id]/$health-cards-issue (SMART Health Cards): the card's credential as JSON. */
export const healthCardsIssueOperation: FhirOperation = {
  name: 'health-cards-issue',
  definitionId: 'Patient-health-cards-issue',
  resourceType: 'Patient',
  instance: true,
  methods: ['POST'],
  requires: { resourceType: 'Patient', permission: 'r' },
  produces: 'application/fhir+json',
  summary: "The member's membership card as a SMART Health Card (JWS), for a health wallet",
  description:
    "The credential of the card's QR: verifiableCredential (the JWS) and a resourceLink from the bundled Patient " +
    `to the hosted one. credentialType may ask for ${HEALTH_CARD_TYPE}, Patient or Coverage; other types get an ` +
    'empty Parameters.',
  async run(context, input) {
    const member = await memberOf(context, input.id);
    const wanted = parametersNamed(input.parameters, 'credentialType').map(
      (p) => p.valueUri ?? p.valueString,
    );
    if (
      wanted.length > 0 &&
      !wanted.every((type) => [HEALTH_CARD_TYPE, 'Patient', 'Coverage'].includes(type ?? ''))
    ) {
      return { kind: 'resource', resource: { resourceType: 'Parameters' } };
    }
    const [card] = await cardsOf(context, [member]);
    const jws = await healthCardOf(context, card!);
    return {
      kind: 'resource',
      resource: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'verifiableCredential', valueString: jws },
          {
            name: 'resourceLink',
            part: [
              { name: 'vcIndex', valueInteger: 0 },
              { name: 'bundledResource', valueUri: 'resource:0' },
              { name: 'hostedResource', valueUri: `${context.baseUrl}/Patient/${member.id}` },
            ],
          },
        ],
      },
    };
  },
};

/** POST $verify-health-card: checks a card online, against the scheme's issuer keys. */
export const verifyHealthCardOperation: FhirOperation = {
  name: 'verify-health-card',
  definitionId: 'verify-health-card',
  instance: false,
  methods: ['POST'],
  requires: { resourceType: 'Patient', permission: 'r' },
  produces: 'application/fhir+json',
  summary: 'Verify a membership card (its QR text or JWS)',
  description:
    'Parameter verifiableCredential: the shc:/ text of the QR, or the JWS. Answers valid, issuer, issued, expires ' +
    'and, when valid, the Patient and Coverage the card carries; when not valid, the problem.',
  async run(context, input) {
    const text = stringParameter(input.parameters, 'verifiableCredential');
    if (!text) {
      throw new KingaError(
        'operation.parameter-invalid',
        { name: 'verifiableCredential', detail: 'is required (the shc:/ text or the JWS)' },
        { expression: parameterPath('verifiableCredential') },
      );
    }
    const keys = await healthCardKeys(context.config, context.em);
    const result = await verifyHealthCard(keys, context.config.PUBLIC_BASE_URL, text);
    const parameter: NonNullable<Parameters['parameter']> = [{ name: 'valid', valueBoolean: result.valid }];
    if (result.issuer) {
      parameter.push({ name: 'issuer', valueUri: result.issuer });
    }
    if (!result.valid) {
      parameter.push({ name: 'problem', valueString: result.problem });
      return { kind: 'resource', resource: { resourceType: 'Parameters', parameter } };
    }
    parameter.push({ name: 'issued', valueDateTime: result.issuedAt.toISOString() });
    if (result.expiresAt) {
      parameter.push({ name: 'expires', valueDateTime: result.expiresAt.toISOString() });
    }
    for (const entry of result.bundle.entry ?? []) {
      const type = entry.resource?.resourceType;
      // The member is the first Patient; a second one is the policy holder.
      const name =
        type === 'Coverage'
          ? 'coverage'
          : type === 'Patient' && !parameter.some((p) => p.name === 'patient')
            ? 'patient'
            : undefined;
      if (name && entry.resource) {
        parameter.push({ name, resource: entry.resource });
      }
    }
    return { kind: 'resource', resource: { resourceType: 'Parameters', parameter } };
  },
};

function referenceOf(parameters: Parameters, name: string, type: string): string | undefined {
  const found = parametersNamed(parameters, name);
  if (found.length > 1) {
    throw new KingaError(
      'operation.parameter-invalid',
      { name, detail: 'given more than once' },
      { expression: parameterPath(name) },
    );
  }
  return found[0] ? referenceId(found[0].valueReference, type, parameterPath(name)) : undefined;
}
