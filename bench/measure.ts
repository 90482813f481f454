import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One printed figure: a median over `repetitions` runs, with an optional ratio to a baseline measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  repetitions: number;
  /** How the repetitions were combined: the median (default), or for counts the total or the worst. */
  aggregate?: 'median' | 'total' | 'max';
  /** What was measured, briefly (corpus size, item count, ...). */
  detail?: string;
  baseline?: { ratio: number; meaning: string };
}

/** The median of the samples (the mean of the middle two when their count is even). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (`p` in 0..100): the smallest sample with at least p% of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Milliseconds `work` takes. */
export function timeMs(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** Milliseconds the promise `work` returns takes to settle. */
export async function timeMsAsync(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** The printed line of a figure: name, value and unit, repetitions, detail, and the baseline ratio when there is one. */
export function formatFigure(figure: Figure): string {
  const parts = [
    figure.name.padEnd(32),
    `${formatNumber(figure.value)} ${figure.unit}`.padEnd(15),
    `${figure.aggregate ?? 'median'} of ${figure.repetitions}`.padEnd(12),
  ];
  if (figure.detail) parts.push(figure.detail);
  if (figure.baseline) parts.push(`ratio ${figure.baseline.ratio.toFixed(2)} (${figure.baseline.meaning})`);
  return parts.join('  ');
}

/** The header line: what machine the figures come from. */
export function machineLine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `nashra bench  node ${process.version}  ${os.platform()} ${os.arch()}  ${model}  ${os.availableParallelism()} cores`;
}

/** A fresh folder under the system temp dir; removed by the returned `remove`. */
export function makeTempDir(label: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nashra-bench-${label}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Size in bytes of a SQLite file together with its -wal and -shm companions, when present. */
export function sqliteFileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += fs.statSync(file + suffix).size;
    } catch {
      // the companion does not exist (after a clean close the WAL is gone)
    }
  }
  return total;
}
