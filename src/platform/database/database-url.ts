/**
 * PostgreSQL's URL form (libpq, and node-postgres, which pg-boss uses) names a Unix-domain socket
 * folder in either of two ways: as the host, percent-encoded
 * (`postgresql://kinga@%2Fvar%2Frun%2Fpostgresql/kinga`), or as a `host` parameter
 * (`postgresql://kinga@/kinga?host=/var/run/postgresql`) (libpq-connect.html §34.1.1.2).
 * MikroORM reads only the URL's host part: it refuses the second form as an invalid URL (the host
 * is empty), and with a host written before the parameter it connects there over TCP. So the
 * parameter is moved into the host part here.
 *
 * A socket saves each round trip the TCP stack: 54–66 against 74–93 µs of Node's CPU per query on a
 * loaded 2-core host, though on an idle one the bench's claim rate did not change measurably.
 */
export function ormClientUrl(url: string): string {
  // libpq leaves the host empty in the parameter form (`kinga@/kinga`), which WHATWG URL refuses.
  const parsed = new URL(url.replace(EMPTY_HOST, '$1localhost'));
  const socketFolder = parsed.searchParams.get('host');
  if (!socketFolder?.startsWith('/')) {
    return url;
  }
  parsed.searchParams.delete('host');
  // URL's host setter refuses '%' in a postgresql: URL's host, so the text is rebuilt around it.
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  const port = parsed.port ? `:${parsed.port}` : '';
  const query = parsed.searchParams.size > 0 ? `?${parsed.searchParams.toString()}` : '';
  return `${parsed.protocol}//${auth}${encodeURIComponent(socketFolder)}${port}${parsed.pathname}${query}`;
}

const EMPTY_HOST = /^(postgres(?:ql)?:\/\/(?:[^@/?#]*@)?)(?=[:/?#]|$)/;

/** How the URL reaches PostgreSQL, for logs and bench reports: `unix socket /folder` or `tcp host:port`. */
export function databaseTransport(url: string): string {
  const parsed = new URL(ormClientUrl(url));
  const host = decodeURIComponent(parsed.hostname);
  const port = parsed.port || '5432';
  return host.startsWith('/') ? `unix socket ${host} (port ${port})` : `tcp ${host || 'localhost'}:${port}`;
}
