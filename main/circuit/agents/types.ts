/**
 * What a sizing agent sees: a box of design variables, mapped to the unit cube [0, 1]^d, and an
 * ask/tell loop driven by ./driver.ts. Agents never simulate and never see units or file paths; the
 * driver turns unit vectors into parameters (lin/log scale, grid step), simulates them in batches,
 * scores them with the L2DC reward (../reward.ts) and tells the agent the scores.
 */
import type { Rng } from '../../../simulators/rng.ts';
import type { RewardSpec } from '../reward.ts';

export interface SizingVariable {
  name: string;
  /** Bounds in SI units; lo < hi (lo > 0 for log scale). */
  lo: number;
  hi: number;
  scale: 'lin' | 'log';
  /** Grid step in SI units (values snap to lo + k * step), null/undefined when continuous. */
  step?: number | null;
}

/** One simulation's outcome as the evaluator returns it. */
export interface EvalOutcome {
  ok: boolean;
  metrics: Record<string, number>;
  error?: string;
}

/** A sizing problem as agents and the driver need it (built from a CircuitProblem, or analytic in tests). */
export interface SizingTask {
  name: string;
  variables: readonly SizingVariable[];
  reward: RewardSpec;
  /** Simulates a batch of designs (params in SI), results in the same order. */
  evaluate(batch: Record<string, number>[], signal?: AbortSignal): Promise<EvalOutcome[]>;
}

/** The ask/tell interface every agent implements (maximises the score). */
export interface SizingAgent {
  readonly name: string;
  /** TensorFlow.js backend, or 'none'. */
  readonly backend: string;
  /** Up to n new points of the unit cube; may return fewer (e.g. at the end of a CMA-ES generation), never 0. */
  ask(n: number): Promise<number[][]> | number[][];
  /** Scores of the points of the last ask, same order (higher is better). */
  tell(units: number[][], scores: number[]): Promise<void> | void;
  /** Internals with stable keys for charts (`losses/critic`, `charts/noise`, `cmaes/sigma`, ...). */
  stats(): Record<string, number>;
  dispose(): void;
}

export interface AgentContext {
  dims: number;
  /** The run's budget of simulations (agents scale warm-up and noise schedules with it). */
  budget: number;
  rng: Rng;
  seed: number;
}

/** Maps a unit-cube coordinate to a variable's value (SI), honouring scale and step. */
export function fromUnit(v: SizingVariable, u: number): number {
  const t = Math.min(1, Math.max(0, u));
  let x = v.scale === 'log' ? v.lo * Math.pow(v.hi / v.lo, t) : v.lo + t * (v.hi - v.lo);
  if (v.step && v.step > 0) {
    x = v.lo + Math.round((x - v.lo) / v.step) * v.step;
    if (x > v.hi + 1e-12 * Math.abs(v.hi)) x -= v.step;
  }
  return Math.min(v.hi, Math.max(v.lo, x));
}

/** Inverse of fromUnit (without the step). */
export function toUnit(v: SizingVariable, x: number): number {
  const t = v.scale === 'log' ? Math.log(x / v.lo) / Math.log(v.hi / v.lo) : (x - v.lo) / (v.hi - v.lo);
  return Math.min(1, Math.max(0, t));
}

export function unitToParams(vars: readonly SizingVariable[], u: readonly number[]): Record<string, number> {
  const p: Record<string, number> = {};
  vars.forEach((v, i) => {
    p[v.name] = fromUnit(v, u[i]);
  });
  return p;
}

export function paramsToUnit(vars: readonly SizingVariable[], p: Record<string, number>): number[] {
  return vars.map((v) => toUnit(v, p[v.name]));
}
