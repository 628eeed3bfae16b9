import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { errorsDocument } from '../../src/cli/describe-errors.ts';
import { ErrorCatalogue } from '../../src/domain/shared/errors.ts';

async function sources(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

t.test('docs/errors.md documents every code of the catalogue', async (t) => {
  t.equal(
    await readFile('docs/errors.md', 'utf8'),
    errorsDocument(),
    'regenerate with node src/cli/describe-errors.ts > docs/errors.md',
  );
});

t.test('every catalogue code is raised somewhere: no dead entries', async (t) => {
  const files = (await sources('src')).filter((f) => !f.endsWith(path.join('shared', 'errors.ts')));
  const text = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
  for (const code of Object.keys(ErrorCatalogue)) {
    t.ok(text.includes(`'${code}'`), `${code} is used`);
  }
});
