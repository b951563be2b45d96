/** Running state of a circuit job, folded from every progress report (contract/circuit.ts). */
import type { JobProgress } from '../../../../contract/api.ts';
import type { CircuitDesign, CircuitEvaluationPoint, CircuitParetoPoint, CircuitProgress } from '../../../../contract/circuit.ts';
import { isNum, isObj } from '../../format.ts';

export interface CircuitAcc {
  /** Every evaluated design seen, by simulation index order of arrival. */
  points: CircuitEvaluationPoint[];
  seen: Set<number>;
  /** Pareto candidates that joined the archive (filter with `nondominated`). */
  pareto: Map<number, CircuitParetoPoint>;
  last: CircuitProgress | null;
  firstFeasibleAt: number | null;
  /** [evaluation, best score] each time it changed. */
  bestTrace: [number, number][];
  /** [evaluation, metric value of the best design] per metric, each time the best changed. */
  bestMetrics: Map<string, [number, number][]>;
  /** Agent internals over evaluations, by stable key. */
  stats: Map<string, [number, number][]>;
  reference: CircuitDesign | null;
  /** Bumped on every fold, for memoisation. */
  version: number;
}

const MAX_POINTS = 50_000;

export function emptyAcc(): CircuitAcc {
  return { points: [], seen: new Set(), pareto: new Map(), last: null, firstFeasibleAt: null, bestTrace: [], bestMetrics: new Map(), stats: new Map(), reference: null, version: 0 };
}

export function foldCircuit(prev: unknown, p: JobProgress): CircuitAcc {
  const acc = (prev as CircuitAcc | undefined) ?? emptyAcc();
  const d = p.data as Partial<CircuitProgress> | undefined;
  if (!isObj(d)) return acc;
  acc.version++;
  acc.last = d as CircuitProgress;
  for (const pt of Array.isArray(d.points) ? d.points : []) {
    if (!pt || !isNum(pt.evaluation) || acc.seen.has(pt.evaluation)) continue;
    acc.seen.add(pt.evaluation);
    acc.points.push(pt);
    if (pt.feasible && (acc.firstFeasibleAt === null || pt.evaluation < acc.firstFeasibleAt)) acc.firstFeasibleAt = pt.evaluation;
  }
  if (acc.points.length > MAX_POINTS) acc.points.splice(0, acc.points.length - MAX_POINTS);
  if (isNum(d.firstFeasibleAt)) acc.firstFeasibleAt = acc.firstFeasibleAt === null ? d.firstFeasibleAt : Math.min(acc.firstFeasibleAt, d.firstFeasibleAt);
  for (const pp of Array.isArray(d.newPareto) ? d.newPareto : []) if (pp && isNum(pp.evaluation)) acc.pareto.set(pp.evaluation, pp);
  const ev = isNum(d.evaluations) ? d.evaluations : p.evaluations;
  if (isNum(d.bestScore)) {
    const lastB = acc.bestTrace[acc.bestTrace.length - 1];
    if (!lastB || lastB[1] !== d.bestScore) acc.bestTrace.push([isNum(d.bestAt) ? d.bestAt : ev, d.bestScore]);
    if (isObj(d.best) && isObj(d.best.metrics) && (!lastB || lastB[1] !== d.bestScore)) {
      for (const [k, v] of Object.entries(d.best.metrics)) {
        if (!isNum(v)) continue;
        const arr = acc.bestMetrics.get(k) ?? [];
        arr.push([isNum(d.bestAt) ? d.bestAt : ev, v]);
        acc.bestMetrics.set(k, arr);
      }
    }
  }
  if (isObj(d.stats)) {
    for (const [k, v] of Object.entries(d.stats)) {
      if (!isNum(v)) continue;
      const arr = acc.stats.get(k) ?? [];
      if (!arr.length || arr[arr.length - 1][0] !== ev) arr.push([ev, v]);
      if (arr.length > 5000) arr.splice(0, arr.length - 5000);
      acc.stats.set(k, arr);
    }
  }
  if (isObj(d.reference)) acc.reference = d.reference as CircuitDesign;
  return acc;
}

/** Designs not dominated on the targets (min/max per metric). */
export function nondominated<T extends { metrics: Record<string, number> }>(list: T[], targets: { metric: string; sense: 'min' | 'max' }[]): T[] {
  if (!targets.length) return list;
  const val = (x: T, t: { metric: string; sense: 'min' | 'max' }) => {
    const v = x.metrics?.[t.metric];
    return isNum(v) ? (t.sense === 'min' ? v : -v) : Infinity;
  };
  return list.filter((a) => !list.some((b) => b !== a && targets.every((t) => val(b, t) <= val(a, t)) && targets.some((t) => val(b, t) < val(a, t))));
}
