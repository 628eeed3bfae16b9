import { describeConfig } from '../platform/config/config.ts';

/** A default as text (the schema's defaults are strings, numbers and booleans). */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The settings as the README's table and as .env.example, both derived from the one schema. */
export function configTable(): string {
  const rows = describeConfig().map(
    (s) =>
      `| \`${s.name}\` | ${s.default === undefined ? '' : `\`${shown(s.default)}\``} | ${s.description.replaceAll('|', '\\|')} |`,
  );
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function envExample(): string {
  const lines = [
    '# Every setting Kinga reads (src/platform/config/config.ts). Copy to .env; `npm start` reads it.',
    '',
  ];
  for (const s of describeConfig()) {
    lines.push(`# ${s.description}`);
    lines.push(s.default === undefined ? `# ${s.name}=` : `${s.name}=${shown(s.default)}`);
    lines.push('');
  }
  return lines.join('\n');
}

if (import.meta.main) {
  console.log(process.argv[2] === 'env' ? envExample() : configTable());
}
