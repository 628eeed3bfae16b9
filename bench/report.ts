import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from './scenarios.ts';

export interface Measurement {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Share of the matching ceiling's req/s. */
  ratio?: number;
  target?: Target;
  met?: boolean;
}

export interface BenchReport {
  startedAt: string;
  command: string;
  options: Record<string, unknown>;
  machine: { cpus: number; node: string; postgres: string };
  insurees: number;
  kingaPeakRssMiB?: number;
  measurements: Measurement[];
}

const percent = (ratio: number): string => `${Math.round(ratio * 100)} %`;

function targetText(target: Target | undefined): string {
  if (!target) {
    return '';
  }
  return [`≥ ${percent(target.ratio)}`, target.p99 === undefined ? '' : `p99 ≤ ${target.p99} ms`]
    .filter(Boolean)
    .join(', ');
}

export function printReport(report: BenchReport): void {
  const rows = report.measurements.map((m) => ({
    scenario: m.name,
    'req/s': Math.round(m.requestsPerSecond),
    'p50 ms': m.p50Ms,
    'p99 ms': m.p99Ms,
    'non-2xx': m.non2xx,
    errors: m.errors,
    'vs ceiling': m.ratio === undefined ? '' : percent(m.ratio),
    target: targetText(m.target),
    met: m.met === undefined ? '' : m.met ? 'yes' : 'NO',
  }));
  console.table(rows);
  console.log(
    `Kinga peak RSS (VmHWM): ${report.kingaPeakRssMiB ?? '?'} MiB; ${report.insurees} insurees; ` +
      `${report.machine.cpus} cores; ${report.machine.postgres}`,
  );
}

/** Writes the report to bench/results/<timestamp>.json (git-ignored) and returns the path. */
export async function saveReport(report: BenchReport): Promise<string> {
  const folder = path.resolve(import.meta.dirname, 'results');
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
