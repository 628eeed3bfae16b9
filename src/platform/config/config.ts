import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { existsSync } from 'node:fs';

/**
 * Every setting Kinga reads from the environment, declared once. The type, the defaults, the
 * README table and .env.example all follow from this schema; `loadConfig` reports every problem
 * at once and never invents a secret.
 */
const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
    description: 'development | production | test. Production refuses generated signing keys.',
  }),
  HOST: Type.String({ default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 in containers).' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'HTTP port.' }),
  PUBLIC_BASE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^/]+(/.*)?$',
      description:
        'External URL of this server, without trailing slash (default http://localhost:PORT). ' +
        'Used in Location headers, Bundle links, and as the token issuer and audience.',
    }),
  ),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description:
        'PostgreSQL connection URL. Unset: an embedded PostgreSQL is started (data in EMBEDDED_PG_DIR). ' +
        'A Unix socket is named as libpq does: postgresql://kinga@/kinga?host=/var/run/postgresql.',
    }),
  ),
  EMBEDDED_PG_DIR: Type.String({
    default: '.data/postgres',
    description: 'Data folder of the embedded PostgreSQL (kept across restarts).',
  }),
  EMBEDDED_PG_PORT: Type.Integer({
    minimum: 1,
    maximum: 65535,
    default: 5433,
    description: 'Port of the embedded PostgreSQL.',
  }),
  DB_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10, description: 'PostgreSQL pool size.' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino log level.' },
  ),
  BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    default: 4 * 1024 * 1024,
    description: 'Largest accepted request body; larger ones get 413.',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 1,
    default: 6000,
    description: 'Requests per minute per client (per IP before authentication); beyond it, 429.',
  }),
  TRUST_PROXY: Type.Boolean({ default: false, description: 'Trust X-Forwarded-* headers from a proxy.' }),
  IDEMPOTENCY_KEY_TTL_HOURS: Type.Integer({
    minimum: 1,
    maximum: 720,
    default: 24,
    description:
      'How long an Idempotency-Key and its stored response are kept; after that the key may be used again.',
  }),
  SIGNING_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Private JWK (JSON, ES256/ES384/RS384) that signs access tokens. Unset outside production: a key is ' +
        'generated once and kept in the database.',
    }),
  ),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({
    minimum: 30,
    maximum: 300,
    default: 300,
    description: 'Access token lifetime (SMART Backend Services: at most 300).',
  }),
  KINGA_BOOTSTRAP_CLIENT_ID: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9._-]{3,64}$',
      description: 'First admin client id (with the secret).',
    }),
  ),
  KINGA_BOOTSTRAP_CLIENT_SECRET: Type.Optional(
    Type.String({ minLength: 32, description: 'First admin client secret, at least 32 characters.' }),
  ),
  INSURANCE_NUMBER_SYSTEM: Type.String({
    default: 'https://kinga.health/fhir/NamingSystem/insurance-number',
    pattern: '^[a-z][a-z0-9+.-]*:',
    description: "Identifier.system of the scheme's insurance numbers.",
  }),
  INSURANCE_NUMBER_LENGTH: Type.Optional(
    Type.Integer({ minimum: 4, maximum: 50, description: 'Exact length of insurance numbers, when fixed.' }),
  ),
  INSURANCE_NUMBER_CHECK_DIGIT: Type.Union(
    [Type.Literal('none'), Type.Literal('luhn'), Type.Literal('modulo')],
    {
      default: 'none',
      description:
        'Check digit scheme: none, luhn, or modulo (last digit = rest mod INSURANCE_NUMBER_MODULO, as openIMIS).',
    },
  ),
  INSURANCE_NUMBER_MODULO: Type.Integer({
    minimum: 2,
    maximum: 10,
    default: 7,
    description: 'Divisor of the modulo check digit.',
  }),
  INSURANCE_NUMBER_REQUIRE_ALLOCATION: Type.Boolean({
    default: false,
    description:
      'Accept at enrolment only numbers from a block allocated to an enrolment officer (pre-printed cards).',
  }),
  HEALTH_CARD_ISSUER_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Private JWK (JSON, EC P-256) that signs membership cards (SMART Health Cards). Unset: a key is ' +
        'generated once and kept in the database. Not the access-token key.',
    }),
  ),
  CARD_FONT_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'TrueType font for printed cards (e.g. DejaVuSans.ttf); unset, Helvetica prints Latin-1 only and ' +
        'other letters lose their accents.',
    }),
  ),
  AGE_OF_MAJORITY: Type.Integer({
    minimum: 1,
    maximum: 30,
    default: 18,
    description: "Members this old on a policy's start date pay the adult premium.",
  }),
  POLICY_ACTIVATION: Type.Union([Type.Literal('on-payment'), Type.Literal('manual')], {
    default: 'on-payment',
    description:
      'on-payment: a fully paid policy becomes active; manual: it becomes ready, for an officer to activate.',
  }),
  SCHEME_TIME_ZONE: Type.String({
    default: 'UTC',
    description:
      "IANA time zone of the scheme: the calendar day scheduled jobs act on, and their cron's zone.",
  }),
  EXPIRE_POLICIES_CRON: Type.String({
    default: '5 0 * * *',
    description: 'When policies past their expiry date are marked expired (cron, in SCHEME_TIME_ZONE).',
  }),
  SUSPEND_UNPAID_POLICIES_CRON: Type.String({
    default: '15 0 * * *',
    description: 'When idle policies past their payment grace period are suspended (cron).',
  }),
  PROMPT_RENEWALS_CRON: Type.String({
    default: '30 0 * * *',
    description: 'When renewal prompts are created for policies about to expire (cron).',
  }),
  REPUBLISH_PLAN_STATUSES_CRON: Type.String({
    default: '1 0 * * *',
    description:
      'When InsurancePlans whose status follows the calendar (draft → active → retired) are published again (cron).',
  }),
  RELATIVE_PRICING_CRON: Type.String({
    default: '0 2 1 * *',
    description:
      'When the relative-pricing batch prices the periods that ended with the previous month, for every product with relative prices (cron; monthly).',
  }),
  RENEWAL_PROMPT_DAYS: Type.Integer({
    minimum: 1,
    maximum: 365,
    default: 14,
    description: 'How many days before expiry a renewal is prompted.',
  }),
  CLAIM_REVIEW_SAMPLE_PERCENT: Type.Number({
    minimum: 0,
    maximum: 100,
    default: 5,
    description: 'Share of claims picked at random for medical review (percent; 0 turns random review off).',
  }),
  CLAIM_REVIEW_AMOUNT_ABOVE: Type.Optional(
    Type.String({
      pattern: '^\\d{1,16}(\\.\\d{1,2})?$',
      description:
        'A claim whose benefit (what the scheme pays) is above this amount is reviewed; unset: no such rule.',
    }),
  ),
  CLAIM_REVIEW_RARE_SERVICE_LINES: Type.Integer({
    minimum: 0,
    default: 10,
    description:
      'A claim with a service the scheme has accepted fewer than this many times before is reviewed (0: rule off).',
  }),
  CLAIM_REVIEW_VISITS_PER_30_DAYS: Type.Integer({
    minimum: 0,
    default: 4,
    description:
      "A claim is reviewed when the patient's claims at the same facility within 30 days reach this many (0: rule off).",
  }),
  MPESA_CALLBACK_SECRET: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'Secret in the M-Pesa callback paths (/payments/mpesa/<secret>/…), at least 16 characters; unset: M-Pesa is off.',
    }),
  ),
  MPESA_ALLOWED_IPS: Type.String({
    default: '',
    description:
      'Comma-separated source addresses M-Pesa callbacks may come from (Safaricom publishes its list); empty: any.',
  }),
  MPESA_API_URL: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Daraja base URL (e.g. https://api.safaricom.co.ke) for STK push and its status query; unset: no outgoing M-Pesa calls.',
    }),
  ),
  MPESA_CONSUMER_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Daraja consumer key (OAuth client credentials).',
    }),
  ),
  MPESA_CONSUMER_SECRET: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Daraja consumer secret.',
    }),
  ),
  MPESA_SHORTCODE: Type.Optional(
    Type.String({
      minLength: 1,
      description: "The scheme's Paybill or Till number.",
    }),
  ),
  MPESA_PASSKEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Daraja Lipa na M-Pesa passkey (STK push password).',
    }),
  ),
  MTN_CALLBACK_SECRET: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'Secret in the MTN MoMo callback path (/payments/mtn/<secret>/…), at least 16 characters; unset: MTN is off.',
    }),
  ),
  MTN_API_URL: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'MTN MoMo collection API base URL (e.g. https://sandbox.momodeveloper.mtn.com).',
    }),
  ),
  MTN_SUBSCRIPTION_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'MTN Ocp-Apim-Subscription-Key of the collection product.',
    }),
  ),
  MTN_API_USER: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'MTN API user (UUID).',
    }),
  ),
  MTN_API_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'MTN API key of that user.',
    }),
  ),
  MTN_TARGET_ENVIRONMENT: Type.String({
    default: 'sandbox',
    description: 'MTN X-Target-Environment (sandbox, mtnuganda, mtnghana, …).',
  }),
  MTN_POLL_AFTER_MINUTES: Type.Integer({
    minimum: 1,
    default: 5,
    description:
      'A RequestToPay with no callback after this many minutes is polled (MTN sends a callback once, never again).',
  }),
  MTN_POLL_CRON: Type.String({
    default: '*/5 * * * *',
    description: 'When pending MTN RequestToPay are polled (cron).',
  }),
  AIRTEL_CALLBACK_SECRET: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'Secret in the Airtel Money callback path (/payments/airtel/<secret>/callback), at least 16 characters; unset: Airtel is off.',
    }),
  ),
  AIRTEL_HASH_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Airtel callback authentication key: when set, the callback's hash (HMAC-SHA256) is verified.",
    }),
  ),
  MOJALOOP_FSP_PUBLIC_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'PEM public key of the payer FSP (or the hub) whose FSPIOP-Signature (JWS) Mojaloop callbacks must carry; unset: Mojaloop is off.',
    }),
  ),
  MOJALOOP_FSP_ID: Type.Optional(
    Type.String({
      minLength: 1,
      description: "Kinga's FSP id as payee (the FSPIOP-Destination callbacks are addressed to).",
    }),
  ),
  PAYMENT_WEBHOOK_SECRET: Type.Optional(
    Type.String({
      pattern: '^whsec_[A-Za-z0-9+/=]{20,}$',
      description:
        'Standard Webhooks secret (whsec_…) of the generic payment endpoint /payments/webhook; unset: it is off.',
    }),
  ),
  PAYMENT_VERIFY_UNSIGNED: Type.Boolean({
    default: false,
    description:
      'Confirm unsigned callbacks (M-Pesa STK, MTN) with the provider status API before a policy is activated.',
  }),
  JOBS_IN_SERVER: Type.Boolean({
    default: true,
    description:
      'Run the scheduled jobs (payment allocation, webhooks, DHIS2 push…) in the server; false: run `npm run worker` beside it, so callbacks are acknowledged on their own CPU.',
  }),
  ALLOCATE_PAYMENTS_CRON: Type.String({
    default: '* * * * *',
    description:
      'Safety sweep of the payment inbox (cron); each callback also wakes the allocation job at once.',
  }),
  WEBHOOK_ALLOW_PRIVATE_HOSTS: Type.Boolean({
    default: false,
    description:
      'Deliver outbound webhooks to loopback and private addresses too (tests, a gateway on the same network); off: refused (SSRF guard).',
  }),
  INDICATOR_AGE_BOUNDS: Type.String({
    default: '6,13,19,26,36,56,76',
    pattern: '^\\d{1,3}(,\\d{1,3})*$',
    description:
      'Lower bounds of the age groups of indicators after the first (0–5), as openIMIS configures them.',
  }),
  INDICATOR_SUPPRESS_BELOW: Type.Integer({
    minimum: 0,
    default: 0,
    description:
      'Small-cell suppression: counts below this (other than zero) leave the system as withheld; 0 turns it off.',
  }),
  INDICATOR_CELLS_CRON: Type.String({
    default: '*/10 * * * *',
    description:
      'When the indicator cells of this month and last month take in what was written since (cron), so that a pull or push computes little.',
  }),
  DHIS2_INSTANCES: Type.String({
    default: '[]',
    description:
      'JSON list of DHIS2 instances to push to: [{"name","url","dataSets":["ENROLMENT",…],"format":"json"|"adx",' +
      '"username"+"password" or "token"}] (a personal access token d2pat_…).',
  }),
  DHIS2_PUSH_CRON: Type.String({
    default: '0 3 2 * *',
    description: "When last month's indicators are pushed to each DHIS2 instance (cron).",
  }),
  DHIS2_DENOMINATORS: Type.String({
    default: 'POPULATION',
    pattern:
      '^[A-Z][A-Z0-9_]*(=[A-Za-z0-9_.-]+(\\|[A-Za-z0-9_.-]+)*)?(,[A-Z][A-Z0-9_]*(=[A-Za-z0-9_.-]+(\\|[A-Za-z0-9_.-]+)*)?)*$',
    description:
      'Denominators DHIS2 may push to /dhis2/api/dataValueSets, comma-separated: NAME (the DHIS2 data element whose ' +
      'UID or code is NAME) or NAME=id|id (the DHIS2 data element UIDs or codes that carry it), e.g. ' +
      'POPULATION=WUg3MYWQ7ik. Values of other data elements are ignored.',
  }),
  CURRENCY: Type.String({
    default: 'TZS',
    pattern: '^[A-Z]{3}$',
    description:
      "ISO 4217 code of the scheme's currency: premiums, fees, limits and ceilings are all in it (published as Money.currency).",
  }),
});

export type Config = Readonly<Static<typeof ConfigSchema>> & { readonly PUBLIC_BASE_URL: string };

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const validate = ajv.compile(ConfigSchema);

/** Parses the environment once; throws ConfigError listing every problem found. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(ConfigSchema.properties);
  const input: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') {
      input[key] = value;
    }
  }
  const problems: string[] = [];
  if (!validate(input)) {
    for (const e of validate.errors ?? []) {
      const key = e.instancePath.replace(/^\//, '') || String(e.params['missingProperty'] ?? '');
      problems.push(`${key}: ${e.message ?? 'invalid'}`);
    }
  }
  const config = input as Static<typeof ConfigSchema>;
  if (Boolean(config.KINGA_BOOTSTRAP_CLIENT_ID) !== Boolean(config.KINGA_BOOTSTRAP_CLIENT_SECRET)) {
    problems.push('KINGA_BOOTSTRAP_CLIENT_ID and KINGA_BOOTSTRAP_CLIENT_SECRET must be set together');
  }
  if (config.NODE_ENV === 'production' && !config.SIGNING_KEY) {
    problems.push('SIGNING_KEY: required in production (a private JWK)');
  }
  if (config.SIGNING_KEY) {
    try {
      const jwk = JSON.parse(config.SIGNING_KEY) as { d?: unknown };
      if (typeof jwk.d !== 'string') {
        problems.push('SIGNING_KEY: must be a private JWK (has "d")');
      }
    } catch {
      problems.push('SIGNING_KEY: not valid JSON');
    }
  }
  if (config.CARD_FONT_FILE && !existsSync(config.CARD_FONT_FILE)) {
    problems.push(`CARD_FONT_FILE: no file at ${config.CARD_FONT_FILE}`);
  }
  if (config.HEALTH_CARD_ISSUER_KEY) {
    try {
      const jwk = JSON.parse(config.HEALTH_CARD_ISSUER_KEY) as { d?: unknown; kty?: unknown; crv?: unknown };
      if (typeof jwk.d !== 'string' || jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
        problems.push(
          'HEALTH_CARD_ISSUER_KEY: must be a private EC P-256 JWK (SMART Health Cards sign with ES256)',
        );
      }
    } catch {
      problems.push('HEALTH_CARD_ISSUER_KEY: not valid JSON');
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  const publicBaseUrl = (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
  return Object.freeze({ ...config, PUBLIC_BASE_URL: publicBaseUrl });
}

/** The documented settings, for the README and .env.example generator. */
export function describeConfig(): { name: string; description: string; default?: unknown }[] {
  return Object.entries(ConfigSchema.properties).map(([name, schema]) => ({
    name,
    description: String((schema as TSchema).description ?? ''),
    default: (schema as TSchema).default,
  }));
}
