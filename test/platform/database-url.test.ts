import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { databaseTransport, ormClientUrl } from '../../src/platform/database/database-url.ts';
import { openOrm } from '../../src/platform/database/orm.ts';

t.test(
  'a socket folder given as a host parameter moves into the host part, where MikroORM reads it',
  async (t) => {
    const cases: [string, string, string][] = [
      ['postgresql://kinga@db:5432/kinga', 'postgresql://kinga@db:5432/kinga', 'tcp db:5432'],
      [
        'postgresql://kinga:p%40ss@/kinga?host=/var/run/postgresql',
        'postgresql://kinga:p%40ss@%2Fvar%2Frun%2Fpostgresql/kinga',
        'unix socket /var/run/postgresql (port 5432)',
      ],
      [
        'postgresql:///kinga?host=/var/run/postgresql',
        'postgresql://%2Fvar%2Frun%2Fpostgresql/kinga',
        'unix socket /var/run/postgresql (port 5432)',
      ],
      [
        'postgres://kinga@localhost:5433/kinga?host=%2Ftmp%2Fpg&sslmode=disable',
        'postgres://kinga@%2Ftmp%2Fpg:5433/kinga?sslmode=disable',
        'unix socket /tmp/pg (port 5433)',
      ],
      [
        'postgresql://kinga@%2Fvar%2Frun%2Fpostgresql/kinga',
        'postgresql://kinga@%2Fvar%2Frun%2Fpostgresql/kinga',
        'unix socket /var/run/postgresql (port 5432)',
      ],
      [
        'postgresql://kinga@:5433/kinga?host=/tmp/pg',
        'postgresql://kinga@%2Ftmp%2Fpg:5433/kinga',
        'unix socket /tmp/pg (port 5433)',
      ],
      // A host parameter that is no folder is a host name: libpq's meaning, left to the driver.
      ['postgresql://kinga@db/kinga?host=other', 'postgresql://kinga@db/kinga?host=other', 'tcp db:5432'],
    ];
    for (const [given, expected, transport] of cases) {
      t.equal(ormClientUrl(given), expected, given);
      t.equal(databaseTransport(given), transport, `${given}: ${transport}`);
    }
  },
);

/** The test server's socket folder when this machine has it (the server runs here). */
async function testServerSocket(): Promise<{
  folder?: string;
  port: string;
  folders: string;
  tcp: string | null;
}> {
  const server = process.env['KINGA_TEST_SERVER_URL'];
  if (!server) {
    throw new Error('Run the tests with `npm test` (KINGA_TEST_SERVER_URL)');
  }
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const { rows } = await admin.query<{ folders: string; port: string; tcp: string | null }>(
    `select current_setting('unix_socket_directories') as folders, current_setting('port') as port,
            inet_server_addr()::text as tcp`,
  );
  await admin.end();
  const { folders, port, tcp } = rows[0]!;
  const folder = folders
    .split(',')
    .map((f) => f.trim())
    .find((f) => f.startsWith('/') && existsSync(path.join(f, `.s.PGSQL.${port}`)));
  return { ...(folder ? { folder } : {}), port, folders, tcp };
}

const socket = await testServerSocket();
t.test(
  'the test server, reached through its socket folder as a host parameter, is reached over the socket',
  { skip: socket.folder ? false : `the test server has no socket here ('${socket.folders}')` },
  async (t) => {
    t.ok(socket.tcp, 'the control: the test server URL itself is TCP');
    const url = new URL(process.env['KINGA_TEST_SERVER_URL']!);
    // The embedded server asks a password over the socket too.
    const user = `${url.username || 'postgres'}${url.password ? `:${url.password}` : ''}`;
    const viaSocket = `postgresql://${user}@:${socket.port}${url.pathname}?host=${socket.folder}`;
    t.match(databaseTransport(viaSocket), /^unix socket/);
    const orm = await openOrm({ url: viaSocket, poolSize: 1 });
    t.teardown(() => orm.close());
    const [row] = await orm.em
      .getConnection()
      .execute<{ tcp: string | null; db: string }[]>(
        'select inet_server_addr()::text as tcp, current_database() as db',
      );
    t.equal(row!.tcp, null, 'no server address: the connection is a Unix socket');
    t.equal(`/${row!.db}`, url.pathname, 'the database named in the URL');
  },
);
