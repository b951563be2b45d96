/**
 * Pareto archive over a problem's targets. Only feasible designs enter (the caller checks); a point
 * enters when no archived point dominates it, and evicts the points it dominates. Ties (equal in every
 * target) keep the earlier point.
 */
import type { CircuitParetoPoint } from '../../contract/circuit.ts';

export interface ParetoObjective {
  metric: string;
  sense: 'min' | 'max';
}

/** True when a is at least as good as b in every objective and strictly better in one. */
export function dominates(objectives: readonly ParetoObjective[], a: Record<string, number>, b: Record<string, number>): boolean {
  let strictly = false;
  for (const o of objectives) {
    const x = a[o.metric];
    const y = b[o.metric];
    const better = o.sense === 'min' ? x < y : x > y;
    const worse = o.sense === 'min' ? x > y : x < y;
    if (worse) return false;
    if (better) strictly = true;
  }
  return strictly;
}

export class ParetoArchive {
  private pts: CircuitParetoPoint[] = [];

  constructor(readonly objectives: readonly ParetoObjective[]) {}

  /** Offers a feasible design; returns true when it joined the archive. */
  add(p: CircuitParetoPoint): boolean {
    const m = p.metrics;
    if (!this.objectives.every((o) => Number.isFinite(m[o.metric]))) return false;
    for (const q of this.pts) {
      if (dominates(this.objectives, q.metrics, m)) return false;
      if (this.objectives.every((o) => q.metrics[o.metric] === m[o.metric])) return false;
    }
    this.pts = this.pts.filter((q) => !dominates(this.objectives, m, q.metrics));
    this.pts.push(p);
    return true;
  }

  /** Archived points, sorted by the first objective (best first). */
  points(): CircuitParetoPoint[] {
    const o = this.objectives[0];
    if (!o) return [...this.pts];
    return [...this.pts].sort((a, b) => (o.sense === 'min' ? a.metrics[o.metric] - b.metrics[o.metric] : b.metrics[o.metric] - a.metrics[o.metric]));
  }

  get size(): number {
    return this.pts.length;
  }
}
