/**
 * Exports of a circuit run, written to `<runDir>/exports/` and, when asked, to the user's export
 * directory: the best design as a sized netlist and a `.param` include, the designs (best, Pareto
 * front, reference) as JSON, and every evaluation as CSV.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CircuitProblem } from '../../simulators/circuit/problem.ts';
import { paramInclude, sizedNetlist } from '../../simulators/circuit/export.ts';
import type { CircuitDesign, CircuitParetoPoint } from '../../contract/circuit.ts';
import type { EvaluationRecord } from './agents/driver.ts';

function csvCell(x: unknown): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : '';
  if (typeof x === 'boolean') return x ? '1' : '0';
  const s = String(x);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every evaluation, one row each: index, status, score, the design (SI) and every metric (SI). */
export function evaluationsCsv(problem: CircuitProblem, records: readonly EvaluationRecord[]): string {
  const metricNames: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    for (const k of Object.keys(r.metrics))
      if (!seen.has(k)) {
        seen.add(k);
        metricNames.push(k);
      }
  const vars = problem.variables.map((v) => v.name);
  const head = ['evaluation', 'ok', 'feasible', 'score', ...vars, ...metricNames, 'error'];
  const rows = records.map((r) => [r.evaluation, r.ok, r.feasible, r.score, ...vars.map((v) => r.params[v]), ...metricNames.map((m) => r.metrics[m]), r.error ?? ''].map(csvCell).join(','));
  return [head.map(csvCell).join(','), ...rows].join('\n') + '\n';
}

export interface ExportInput {
  problem: CircuitProblem;
  runDir: string;
  exportDir?: string;
  agent: string;
  seed: number;
  best: (CircuitDesign & { feasible: boolean; score: number; evaluation: number }) | null;
  pareto: CircuitParetoPoint[];
  reference: (CircuitDesign & { feasible: boolean }) | null;
  records: readonly EvaluationRecord[];
}

/** Writes the exports; returns their absolute paths (run directory first, then the export directory). */
export function writeCircuitExports(x: ExportInput): string[] {
  const stem = x.problem.name.replace(/[^\w.-]+/g, '_') || 'circuit';
  const files: { name: string; text: string }[] = [];
  if (x.best) {
    const status = x.best.feasible ? 'meets every constraint' : 'does NOT meet every constraint (best found)';
    const metrics = Object.entries(x.best.metrics)
      .map(([k, v]) => `${k}=${v.toPrecision(6)}`)
      .join(' ');
    const sized = sizedNetlist(x.problem, x.best.params, { header: true });
    const [first, ...rest] = sized.split('\n');
    const note = `* agent ${x.agent}, seed ${x.seed}, simulation ${x.best.evaluation}: ${status}\n* metrics (SI): ${metrics}`;
    files.push({ name: `${stem}.sized.cir`, text: [first, note, ...rest].join('\n') });
    files.push({ name: `${stem}.params.inc`, text: paramInclude(x.problem, x.best.params) });
  }
  const designs = {
    problem: x.problem.name,
    agent: x.agent,
    seed: x.seed,
    best: x.best,
    pareto: x.pareto,
    reference: x.reference,
    variables: x.problem.variables.map((v) => ({ name: v.name, lo: v.lo, hi: v.hi, scale: v.scale, unit: v.unit })),
  };
  files.push({ name: `${stem}.designs.json`, text: JSON.stringify(designs, null, 2) + '\n' });
  files.push({ name: `${stem}.evaluations.csv`, text: evaluationsCsv(x.problem, x.records) });
  const dirs = [join(x.runDir, 'exports')];
  if (x.exportDir) dirs.push(resolve(x.exportDir));
  const out: string[] = [];
  for (const d of dirs) {
    mkdirSync(d, { recursive: true });
    for (const f of files) {
      const p = join(d, f.name);
      writeFileSync(p, f.text);
      out.push(p);
    }
  }
  return out;
}
