/**
 * Scores configurations for the agents: one power flow per new configuration (memoised), voltage
 * limits from the case (or an override), and a strict order: any voltage-feasible configuration
 * beats any infeasible one; configurations without a power-flow solution are the worst of all.
 */
import type { GridCase } from './network.ts';
import { RadialSolver, type PfSolution } from './powerflow.ts';
import { Topology } from './topology.ts';

export interface Score {
  /** Radial, connected and with a power-flow solution. */
  solved: boolean;
  /** Solved and within voltage limits. */
  feasible: boolean;
  lossKw: number;
  minVPu: number;
  minVBus: number;
  /** Largest voltage-limit violation (p.u.), 0 when feasible, Infinity when unsolved. */
  violationPu: number;
  message?: string;
}

export interface EvaluatorOptions {
  /** Overrides every bus's lower voltage limit (p.u.). */
  vMinPu?: number;
  vMaxPu?: number;
  /** Load scenario: net demand per bus (p.u.). */
  pNetPu?: Float64Array;
  qNetPu?: Float64Array;
}

export function better(a: Score, b: Score | null): boolean {
  if (!b) return a.solved;
  if (a.feasible !== b.feasible) return a.feasible;
  if (!a.feasible) {
    if (a.solved !== b.solved) return a.solved;
    if (a.violationPu !== b.violationPu) return a.violationPu < b.violationPu - 1e-12;
  }
  return a.lossKw < b.lossKw - 1e-9;
}

export function openKey(closed: Uint8Array): string {
  let s = '';
  for (let k = 0; k < closed.length; k++) if (!closed[k]) s += k + ',';
  return s;
}

export class Evaluator {
  readonly solver: RadialSolver;
  readonly topo: Topology;
  /** Power flows actually run (cache hits excluded). */
  powerFlows = 0;
  private cache = new Map<string, Score>();
  readonly vMin: Float64Array;
  readonly vMax: Float64Array;
  lastSolution: PfSolution | null = null;

  constructor(
    readonly c: GridCase,
    readonly opt: EvaluatorOptions = {},
    topo?: Topology,
  ) {
    this.solver = new RadialSolver(c);
    this.topo = topo ?? new Topology(c);
    this.vMin = Float64Array.from(c.buses, (b) => (c.sources.includes(b.index) ? 0 : (opt.vMinPu ?? b.vMinPu)));
    this.vMax = Float64Array.from(c.buses, (b) => (c.sources.includes(b.index) ? Infinity : (opt.vMaxPu ?? b.vMaxPu)));
  }

  /** Full power-flow solution of a configuration (not cached). */
  solve(closed: Uint8Array) {
    this.powerFlows++;
    return this.solver.solve(closed, { pNetPu: this.opt.pNetPu, qNetPu: this.opt.qNetPu });
  }

  score(closed: Uint8Array): Score {
    const key = openKey(closed);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const s = this.scoreUncached(closed);
    if (this.cache.size > 200000) this.cache.clear();
    this.cache.set(key, s);
    return s;
  }

  private scoreUncached(closed: Uint8Array): Score {
    const chk = this.topo.check(closed);
    if (!chk.radial || !chk.connected)
      return { solved: false, feasible: false, lossKw: Infinity, minVPu: 0, minVBus: -1, violationPu: Infinity, message: chk.connected ? 'not radial' : 'islanded buses' };
    const r = this.solve(closed);
    if (!r.ok) return { solved: false, feasible: false, lossKw: Infinity, minVPu: 0, minVBus: -1, violationPu: Infinity, message: r.message };
    this.lastSolution = r;
    let viol = 0;
    for (let i = 0; i < r.vmPu.length; i++) {
      const v = r.vmPu[i];
      const d = Math.max(this.vMin[i] - v, v - this.vMax[i]);
      if (d > viol) viol = d;
    }
    if (viol < 1e-9) viol = 0;
    return { solved: true, feasible: viol === 0, lossKw: r.lossKw, minVPu: r.minVPu, minVBus: r.minVBus, violationPu: viol };
  }
}
