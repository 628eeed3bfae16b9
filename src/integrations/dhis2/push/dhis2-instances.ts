import { DataSets, type DataSetCode } from '../../../domain/indicator/catalogue.ts';
import { PushFormats, type PushFormat } from './dhis2-push-run.entity.ts';

/** A DHIS2 server the indicators are pushed to (one entry of DHIS2_INSTANCES). */
export interface Dhis2Instance {
  name: string;
  /** The server's base URL, without a trailing slash (…/api/dataValueSets is added). */
  url: string;
  dataSets: readonly DataSetCode[];
  format: PushFormat;
  /** HTTP Basic (a DHIS2 user), or a personal access token (DHIS2 ≥ 2.37: `ApiToken d2pat_…`). */
  auth: { username: string; password: string } | { token: string };
}

const fail = (detail: string): never => {
  throw new Error(`DHIS2_INSTANCES: ${detail}`);
};

const text = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function instanceOf(entry: unknown, index: number): Dhis2Instance {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail(`entry ${index} is not an object`);
  }
  const e = entry as Record<string, unknown>;
  const name = text(e['name']) ? e['name'].trim() : fail(`entry ${index} has no name`);
  const at = `instance ${name}`;
  const rawUrl = text(e['url']) ? e['url'].trim() : fail(`${at} has no url`);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return fail(`${at}: url ${rawUrl} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`${at}: url ${rawUrl} is not http(s)`);
  }
  const dataSets = e['dataSets'] === undefined ? (Object.keys(DataSets) as DataSetCode[]) : e['dataSets'];
  if (!Array.isArray(dataSets) || dataSets.some((d) => typeof d !== 'string' || !(d in DataSets))) {
    fail(`${at}: dataSets is a list of ${Object.keys(DataSets).join(', ')}`);
  }
  const format = e['format'] ?? 'json';
  if (!(PushFormats as readonly unknown[]).includes(format)) {
    fail(`${at}: format is json or adx`);
  }
  let auth: Dhis2Instance['auth'];
  if (text(e['token'])) {
    auth = { token: e['token'].trim() };
  } else if (text(e['username']) && typeof e['password'] === 'string') {
    auth = { username: e['username'], password: e['password'] };
  } else {
    return fail(`${at}: give username and password, or token (a personal access token d2pat_…)`);
  }
  return {
    name,
    url: url.href.replace(/\/+$/, ''),
    dataSets: [...new Set(dataSets as DataSetCode[])],
    format: format as PushFormat,
    auth,
  };
}

/** DHIS2_INSTANCES read and checked; a mistake stops the server at start with what is wrong. */
export function dhis2Instances(setting: string): Dhis2Instance[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(setting);
  } catch {
    return fail('not JSON');
  }
  if (!Array.isArray(parsed)) {
    return fail('a JSON list of instances');
  }
  const instances = parsed.map(instanceOf);
  const names = instances.map((i) => i.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    fail(`instance ${twice} is named twice`);
  }
  return instances;
}

/** The Authorization header DHIS2 takes for the instance's credentials. */
export function authorizationOf(instance: Dhis2Instance): string {
  if ('token' in instance.auth) {
    return `ApiToken ${instance.auth.token}`;
  }
  const { username, password } = instance.auth;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
