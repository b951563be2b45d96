/**
 * The eight destroy families of Balans (Cai, Kadioglu, Dilkina 2024; skadio/balans `balans/destroy/`),
 * each as a pure function (context, rng) -> neighbourhood. A neighbourhood is a set of changes to the
 * original MIP (column bounds, extra rows, a replacement objective) that the repair step solves as a
 * sub-MIP. An arm is a family at a destroy rate, named as in Balans: `mutation_50` is rate 0.50,
 * `proximity_005` is 0.005 (the digits are a decimal fraction: int(d) / 10^len(d)).
 *
 * All objectives here are in the model's own sense; "improve" means lower for min, higher for max.
 *
 * | family           | what it frees / changes (rate r)                                                        |
 * |------------------|------------------------------------------------------------------------------------------|
 * | mutation         | r of the discrete columns, chosen at random, are freed; the other discrete ones are fixed |
 * | rins             | of the discrete columns whose current value differs from the LP relaxation, r are freed;  |
 * |                  | all other discrete columns are fixed                                                      |
 * | rens             | r of the discrete columns that are fractional in the LP get bounds [floor, ceil] of their |
 * |                  | LP value; nothing is fixed (as in Balans)                                                 |
 * | dins             | general integers with |x_lp - x| >= 0.5 keep |x - x_lp| <= |x_cur - x_lp|, the others are |
 * |                  | fixed; binaries that agree with the LP (|x_lp - x| < 0.5) are fixed                       |
 * | local_branching  | one row: at most k binaries flip, k uniform in {0 .. floor(r * #binaries)}; 2.5x time     |
 * | proximity        | objective = Hamming distance to the current binaries; row: objective improves by at least |
 * |                  | r * |current objective| (proximity search, Fischetti & Monaci)                           |
 * | crossover        | discrete columns on which the current solution and a second solution agree are fixed     |
 * | random_objective | objective = uniform(-1, 1) coefficients over the whole model (a diversification move: the   |
 * |                  | candidate is judged on the original objective by the acceptance criterion)               |
 */
import type { Rng } from '../rng.ts';
import type { RowSpec } from './highs.ts';
import { type MipModel, isBinary, numCols } from './model.ts';
import type { MipOperatorFamily } from '../../contract/mip.ts';

export interface OperatorContext {
  model: MipModel;
  /** Current (accepted) solution and its objective (model sense). */
  current: Float64Array;
  currentObjective: number;
  /** LP relaxation solution, null when unavailable. */
  lp: Float64Array | null;
  /** A second feasible solution for crossover, null when none is known. */
  partner: Float64Array | null;
  discrete: readonly number[];
  binaries: readonly number[];
  /** Integer columns that are not binary. */
  generalIntegers: readonly number[];
}

export interface Neighbourhood {
  arm: string;
  bounds: { index: number[]; lower: number[]; upper: number[] };
  rows: RowSpec[];
  /** Replacement objective (sense `sense`), or undefined to keep the original. */
  cost?: Float64Array;
  sense?: 'min' | 'max';
  /** Multiplier of the per-iteration time limit (local branching: 2.5, as 150 s / 60 s in Balans). */
  timeFactor: number;
  /** Columns left free among the discrete ones (for logs and the UI). */
  freeDiscrete: number;
}

export interface ArmSpec {
  family: MipOperatorFamily;
  rate: number;
  name: string;
}

/** The default arms of skadio/balans (balans/solver.py, `Balans()` without arguments). */
export const BALANS_DEFAULT_ARMS = [
  'crossover',
  'mutation_50',
  'rins_40',
  'rens_40',
  'rens_50',
  'proximity_005',
  'local_branching_10',
  'local_branching_20',
  'local_branching_30',
  'local_branching_50',
] as const;

/** Rate used when an arm is given by its family name alone. */
export const FAMILY_DEFAULT_RATE: Record<MipOperatorFamily, number> = {
  mutation: 0.5,
  rins: 0.4,
  rens: 0.5,
  dins: 0,
  local_branching: 0.1,
  proximity: 0.005,
  crossover: 1,
  random_objective: 1,
};

const FAMILIES: readonly MipOperatorFamily[] = ['mutation', 'rins', 'rens', 'dins', 'local_branching', 'proximity', 'crossover', 'random_objective'];

/** Parses `mutation_25`, `proximity_005`, `dins`, `local_branching` ... (throws Error on an unknown name). */
export function parseArm(name: string): ArmSpec {
  const s = name.trim().toLowerCase().replace(/-/g, '_');
  for (const f of FAMILIES) {
    if (s === f) {
      const rate = FAMILY_DEFAULT_RATE[f];
      const hasRate = f !== 'dins' && f !== 'crossover' && f !== 'random_objective';
      return { family: f, rate, name: hasRate ? `${f}_${rateDigits(rate)}` : f };
    }
    if (s.startsWith(f + '_')) {
      const d = s.slice(f.length + 1);
      if (!/^\d{2,3}$/.test(d)) break;
      if (f === 'dins' || f === 'crossover' || f === 'random_objective') break;
      const rate = Number(d) / 10 ** d.length;
      if (rate <= 0 || rate > 1) break;
      return { family: f, rate, name: `${f}_${d}` };
    }
  }
  throw new Error(
    `unknown operator "${name}": use a family (${FAMILIES.join(', ')}) optionally with a rate such as mutation_25 or proximity_005`,
  );
}

function rateDigits(r: number): string {
  const two = Math.round(r * 100);
  if (Math.abs(two / 100 - r) < 1e-12 && two >= 1) return String(two).padStart(2, '0');
  return String(Math.round(r * 1000)).padStart(3, '0');
}

/** Columns the operators need, computed once per model. */
export function columnClasses(m: MipModel): { discrete: number[]; binaries: number[]; generalIntegers: number[] } {
  const discrete: number[] = [];
  const binaries: number[] = [];
  const generalIntegers: number[] = [];
  for (let j = 0; j < numCols(m); j++) {
    if (!m.colInteger[j]) continue;
    discrete.push(j);
    if (isBinary(m, j)) binaries.push(j);
    else generalIntegers.push(j);
  }
  return { discrete, binaries, generalIntegers };
}

/** Why an arm does not apply to a model (null when it does). Balans drops the same ones. */
export function inapplicable(arm: ArmSpec, classes: { discrete: readonly number[]; binaries: readonly number[]; generalIntegers: readonly number[] }, hasLp: boolean): string | null {
  if (classes.discrete.length === 0) return 'the model has no integer columns';
  if ((arm.family === 'local_branching' || arm.family === 'proximity') && classes.binaries.length === 0) return 'the model has no binary columns';
  if (arm.family === 'dins' && classes.generalIntegers.length === 0) return 'the model has no general-integer columns (Balans drops DINS then)';
  if ((arm.family === 'rins' || arm.family === 'rens' || arm.family === 'dins') && !hasLp) return 'no LP relaxation solution is available';
  return null;
}

function sample<T>(xs: readonly T[], k: number, rng: Rng): T[] {
  const a = xs.slice();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

const round = (v: number) => Math.round(v);

/** Builds the neighbourhood of one arm around the current solution. */
export function destroy(arm: ArmSpec, ctx: OperatorContext, rng: Rng): Neighbourhood {
  const { model: m, current, discrete } = ctx;
  const nb: Neighbourhood = { arm: arm.name, bounds: { index: [], lower: [], upper: [] }, rows: [], timeFactor: 1, freeDiscrete: discrete.length };
  const fix = (j: number) => {
    const v = round(current[j]);
    nb.bounds.index.push(j);
    nb.bounds.lower.push(v);
    nb.bounds.upper.push(v);
  };
  const fixAllBut = (free: Set<number>) => {
    for (const j of discrete) if (!free.has(j)) fix(j);
    nb.freeDiscrete = free.size;
  };
  switch (arm.family) {
    case 'mutation': {
      const free = new Set(sample(discrete, Math.floor(arm.rate * discrete.length), rng));
      fixAllBut(free);
      break;
    }
    case 'rins': {
      const lp = ctx.lp!;
      const differ = discrete.filter((j) => Math.abs(lp[j] - current[j]) > 1e-6);
      const free = new Set(sample(differ, Math.floor(arm.rate * differ.length), rng));
      fixAllBut(free);
      break;
    }
    case 'rens': {
      const lp = ctx.lp!;
      const fractional = discrete.filter((j) => Math.abs(lp[j] - Math.round(lp[j])) > 1e-6);
      for (const j of sample(fractional, Math.floor(arm.rate * fractional.length), rng)) {
        nb.bounds.index.push(j);
        nb.bounds.lower.push(Math.max(m.colLower[j], Math.floor(lp[j])));
        nb.bounds.upper.push(Math.min(m.colUpper[j], Math.ceil(lp[j])));
      }
      break;
    }
    case 'dins': {
      const lp = ctx.lp!;
      let free = 0;
      for (const j of ctx.generalIntegers) {
        const d = Math.abs(current[j] - lp[j]);
        if (d >= 0.5) {
          nb.bounds.index.push(j);
          nb.bounds.lower.push(Math.max(m.colLower[j], Math.ceil(lp[j] - d - 1e-9)));
          nb.bounds.upper.push(Math.min(m.colUpper[j], Math.floor(lp[j] + d + 1e-9)));
          free++;
        } else fix(j);
      }
      for (const j of ctx.binaries) {
        if (Math.abs(lp[j] - current[j]) < 0.5) fix(j);
        else free++;
      }
      nb.freeDiscrete = free;
      break;
    }
    case 'local_branching': {
      const k = rng.int(Math.floor(arm.rate * ctx.binaries.length) + 1);
      // sum_{x=0} x_j + sum_{x=1} (1 - x_j) <= k   <=>   sum_{x=0} x_j - sum_{x=1} x_j <= k - #ones
      const index: number[] = [];
      const value: number[] = [];
      let ones = 0;
      for (const j of ctx.binaries) {
        index.push(j);
        if (round(current[j]) === 1) {
          value.push(-1);
          ones++;
        } else value.push(1);
      }
      nb.rows.push({ lower: -Infinity, upper: k - ones, index, value });
      nb.timeFactor = 2.5;
      break;
    }
    case 'proximity': {
      const cost = new Float64Array(numCols(m));
      for (const j of ctx.binaries) cost[j] = round(current[j]) === 1 ? -1 : 1;
      nb.cost = cost;
      nb.sense = 'min';
      nb.rows.push(objectiveRow(m, ctx.currentObjective, Math.max(arm.rate * Math.abs(ctx.currentObjective), 1e-6)));
      break;
    }
    case 'crossover': {
      const other = ctx.partner;
      const free = new Set<number>();
      if (other) for (const j of discrete) if (round(other[j]) !== round(current[j])) free.add(j);
      fixAllBut(free);
      break;
    }
    case 'random_objective': {
      const cost = new Float64Array(numCols(m));
      for (let j = 0; j < cost.length; j++) cost[j] = rng.uniform(-1, 1);
      nb.cost = cost;
      nb.sense = 'min';
      break;
    }
  }
  return nb;
}

/** Row "objective improves on `z` by at least `delta`" in the model's sense (constant term moved right). */
export function objectiveRow(m: MipModel, z: number, delta: number): RowSpec {
  const index: number[] = [];
  const value: number[] = [];
  for (let j = 0; j < numCols(m); j++) {
    if (m.colCost[j] !== 0) {
      index.push(j);
      value.push(m.colCost[j]);
    }
  }
  const rhs = z - m.objOffset;
  // A small slack keeps the current solution feasible when delta = 0 despite rounding.
  const slack = delta === 0 ? 1e-9 * Math.max(1, Math.abs(z)) : 0;
  return m.sense === 'min'
    ? { lower: -Infinity, upper: rhs - delta + slack, index, value }
    : { lower: rhs + delta - slack, upper: Infinity, index, value };
}
