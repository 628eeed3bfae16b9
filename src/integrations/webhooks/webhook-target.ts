import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { KingaError } from '../../domain/shared/errors.ts';

/**
 * A minimal SSRF guard for webhook URLs (Standard Webhooks asks senders for one): http or https
 * only, no credentials in the URL, and — unless WEBHOOK_ALLOW_PRIVATE_HOSTS — no loopback,
 * private, link-local (cloud metadata), shared, multicast or reserved address, whether written as
 * a literal or resolved from a name. Names are checked when the connection is made (the `lookup`
 * below), so a name that resolves elsewhere after creation is caught too.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-mapped: would reach any IPv4 address, private ones included.
  ['::ffff:0:0', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  return family === 0 || blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The URL a subscriber may be given; throws `webhook.url-refused` with the reason. */
export function checkWebhookUrl(text: string, allowPrivateHosts: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(text, 'it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw refused(text, 'only http and https are delivered to');
  }
  if (url.username || url.password) {
    throw refused(text, 'it carries credentials; authenticate the webhook by its signature instead');
  }
  if (!allowPrivateHosts) {
    const host = hostOf(url);
    if (isIP(host) ? isPrivateAddress(host) : host === 'localhost' || host.endsWith('.localhost')) {
      throw refused(text, 'its host is a private or local address');
    }
  }
  return url;
}

/** The host name without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses names resolving to a private address (any of them:
 * the connection may try each). Literal addresses never reach a lookup: check them with
 * `isPrivateAddress` first.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, []);
      return;
    }
    const refusedAddress = addresses.find((a) => isPrivateAddress(a.address));
    if (refusedAddress || addresses.length === 0) {
      const failure: NodeJS.ErrnoException = new Error(
        `${hostname} resolves to a private address (${refusedAddress?.address ?? 'none'})`,
      );
      failure.code = 'EPRIVATEADDRESS';
      callback(failure, []);
      return;
    }
    if (options.all) {
      callback(null, addresses);
    } else {
      callback(null, addresses[0]!.address, addresses[0]!.family);
    }
  });
}

function refused(url: string, reason: string): KingaError {
  return new KingaError('webhook.url-refused', { url: url.slice(0, 200), reason }, { field: 'url' });
}
