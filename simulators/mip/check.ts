/**
 * Independent feasibility check of a MIP solution, written against the model alone (no solver):
 * column bounds, integrality, every row's activity against its bounds, and the objective recomputed.
 * Tolerances are absolute with a relative part for large magnitudes: |violation| <= tol * max(1, |bound|).
 */
import { type MipModel, numCols, numRows, objectiveValue } from './model.ts';

export interface CheckOptions {
  /** Primal feasibility tolerance (bounds and rows); HiGHS's default is 1e-7, we allow 1e-6. */
  feasibilityTol?: number;
  /** Integrality tolerance; HiGHS's default mip_feasibility_tolerance is 1e-6. */
  integralityTol?: number;
  /** Messages kept (the first ones of each kind). */
  maxMessages?: number;
}

export interface CheckResult {
  feasible: boolean;
  /** Largest scaled violation found (0 when feasible within tolerances, or smaller than tol). */
  maxViolation: number;
  objective: number;
  boundViolations: number;
  integralityViolations: number;
  rowViolations: number;
  messages: string[];
}

export function checkSolution(m: MipModel, x: ArrayLike<number>, opts: CheckOptions = {}): CheckResult {
  const tol = opts.feasibilityTol ?? 1e-6;
  const itol = opts.integralityTol ?? 1e-6;
  const maxMessages = opts.maxMessages ?? 10;
  const messages: string[] = [];
  let maxViolation = 0;
  let boundViolations = 0;
  let integralityViolations = 0;
  let rowViolations = 0;
  const note = (s: string) => {
    if (messages.length < maxMessages) messages.push(s);
  };
  const n = numCols(m);
  if (x.length !== n) {
    return {
      feasible: false,
      maxViolation: Infinity,
      objective: NaN,
      boundViolations: 0,
      integralityViolations: 0,
      rowViolations: 0,
      messages: [`solution has ${x.length} values for ${n} columns`],
    };
  }
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (!Number.isFinite(v)) {
      boundViolations++;
      maxViolation = Infinity;
      note(`column ${m.colNames[j]} has value ${v}`);
      continue;
    }
    const lo = m.colLower[j];
    const up = m.colUpper[j];
    const viol = violation(v, lo, up);
    if (viol > tol) {
      boundViolations++;
      note(`column ${m.colNames[j]} = ${v} outside [${lo}, ${up}]`);
    }
    maxViolation = Math.max(maxViolation, viol);
    if (m.colInteger[j]) {
      const frac = Math.abs(v - Math.round(v));
      if (frac > itol) {
        integralityViolations++;
        note(`integer column ${m.colNames[j]} = ${v} is fractional`);
      }
      maxViolation = Math.max(maxViolation, frac);
    }
  }
  for (let r = 0; r < numRows(m); r++) {
    let a = 0;
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) a += m.rowValue[k] * x[m.rowIndex[k]];
    const lo = m.rowLower[r];
    const up = m.rowUpper[r];
    const viol = violation(a, lo, up);
    if (viol > tol) {
      rowViolations++;
      note(`row ${m.rowNames[r]}: activity ${a} outside [${lo}, ${up}]`);
    }
    maxViolation = Math.max(maxViolation, viol);
  }
  const feasible = boundViolations === 0 && integralityViolations === 0 && rowViolations === 0;
  return { feasible, maxViolation, objective: objectiveValue(m, x), boundViolations, integralityViolations, rowViolations, messages };
}

/** Scaled violation of lo <= v <= up (0 inside; infinite bounds never violated). */
function violation(v: number, lo: number, up: number): number {
  let viol = 0;
  if (lo > -Infinity && v < lo) viol = (lo - v) / Math.max(1, Math.abs(lo));
  if (up < Infinity && v > up) viol = Math.max(viol, (v - up) / Math.max(1, Math.abs(up)));
  return viol;
}
