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
  /** Claim scenarios: claims submitted per second (a Bundle carries many). */
  claimsPerSecond?: number;
  /** Claim scenarios: what became of the claims sent (warm-up included). */
  note?: string;
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

const percent = (ratio: number): string =>
  ratio < 0.1 ? `${(ratio * 100).toFixed(1)} %` : `${Math.round(ratio * 100)} %`;

function targetText(target: Target | undefined): string {
  if (!target) {
    return '';
  }
  return [
    target.ratio === undefined ? '' : `≥ ${percent(target.ratio)}`,
    target.rate === undefined ? '' : `≥ ${target.rate}/s`,
    target.p99 === undefined ? '' : `p99 ≤ ${target.p99} ms`,
  ]
    .filter(Boolean)
    .join(', ');
}

export function printReport(report: BenchReport): void {
  const rows = report.measurements.map((m) => ({
    scenario: m.name,
    // A Bundle scenario completes less than one request a second.
    'req/s':
      m.requestsPerSecond < 10 ? Number(m.requestsPerSecond.toFixed(2)) : Math.round(m.requestsPerSecond),
    'p50 ms': m.p50Ms,
    'p99 ms': m.p99Ms,
    'non-2xx': m.non2xx,
    errors: m.errors,
    'vs ceiling': m.ratio === undefined ? '' : percent(m.ratio),
    target: targetText(m.target),
    met: m.met === undefined ? '' : m.met ? 'yes' : 'NO',
  }));
  console.table(rows);
  for (const m of report.measurements.filter((m) => m.claimsPerSecond !== undefined)) {
    console.log(
      `${m.name}: ${Math.round(m.claimsPerSecond!)} claims/s (${m.requestsPerSecond.toFixed(1)} requests/s), ` +
        `p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms` +
        (m.ratio === undefined ? '' : `, ${percent(m.ratio)} of the insert ceiling's rows/s`) +
        `\n  ${m.note ?? ''}`,
    );
  }
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
