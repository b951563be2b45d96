/** Pieces the agents share: exploration noise, a replay buffer, running statistics. */
import type { Rng } from '../../../simulators/rng.ts';

/** A sample of N(mean, sigma) truncated to [lo, hi] (rejection, then clipping after 32 tries). */
export function truncatedNormal(rng: Rng, mean: number, sigma: number, lo: number, hi: number): number {
  if (sigma <= 0) return Math.min(hi, Math.max(lo, mean));
  for (let i = 0; i < 32; i++) {
    const x = mean + sigma * rng.normal();
    if (x >= lo && x <= hi) return x;
  }
  return Math.min(hi, Math.max(lo, mean));
}

/**
 * Lower-triangular L with L L^T = A for a symmetric positive-definite A (row-major, d x d); throws
 * when A is not positive definite.
 */
export function cholesky(a: number[][]): number[][] {
  const d = a.length;
  const l = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 0)) throw new Error('cholesky: matrix is not positive definite');
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/**
 * The exploration shape of a set of weighted points (weights sum to 1): their weighted covariance
 * about their weighted mean, scaled to unit average variance (trace d) and mixed with the identity,
 * `(1 - iso) * C / (tr C / d) + iso * I`. Sampling `mean + sigma * L z` (L its Cholesky factor)
 * then keeps the schedule's sigma as the average step per coordinate and only turns the steps
 * towards the directions along which the points spread. Returns L, or null when the points have no
 * spread.
 */
export function spreadShape(points: number[][], weights: number[], iso: number): number[][] | null {
  const d = points[0]?.length ?? 0;
  if (d === 0) return null;
  const mean = new Array<number>(d).fill(0);
  points.forEach((p, i) => p.forEach((x, j) => (mean[j] += weights[i] * x)));
  const c = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  points.forEach((p, k) => {
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) c[i][j] += weights[k] * (p[i] - mean[i]) * (p[j] - mean[j]);
  });
  let trace = 0;
  for (let i = 0; i < d; i++) trace += c[i][i];
  if (!(trace > 1e-300)) return null;
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => ((1 - iso) * c[Math.max(i, j)][Math.min(i, j)] * d) / trace + (i === j ? iso : 0)));
  try {
    return cholesky(a);
  } catch {
    return null;
  }
}

/**
 * `mean + sigma * L z` (z standard normal; L null = identity) kept inside [lo, hi]^d: whole-vector
 * rejection, then clipping after 32 tries.
 */
export function shapedNormal(rng: Rng, mean: number[], sigma: number, l: number[][] | null, lo: number, hi: number): number[] {
  const d = mean.length;
  let x = mean;
  for (let t = 0; t < 32; t++) {
    const z = Array.from({ length: d }, () => rng.normal());
    x = mean.map((m, i) => {
      if (!l) return m + sigma * z[i];
      let s = 0;
      for (let k = 0; k <= i; k++) s += l[i][k] * z[k];
      return m + sigma * s;
    });
    if (x.every((v) => v >= lo && v <= hi)) return x;
  }
  return x.map((v) => Math.min(hi, Math.max(lo, v)));
}

/** A uniform point of the unit cube. */
export function uniformPoint(rng: Rng, dims: number): number[] {
  return Array.from({ length: dims }, () => rng.next());
}

/**
 * Exploration-noise schedule: sigma decays geometrically per evaluation from `sigma0` to `sigmaMin`.
 * `decay` null means "reach sigmaMin at the end of the budget".
 */
export class DecayingNoise {
  private n = 0;
  private readonly rate: number;

  constructor(
    readonly sigma0: number,
    readonly sigmaMin: number,
    decay: number | null,
    steps: number,
  ) {
    this.rate = decay ?? Math.pow(sigmaMin / sigma0, 1 / Math.max(1, steps));
  }

  get sigma(): number {
    return Math.max(this.sigmaMin, this.sigma0 * Math.pow(this.rate, this.n));
  }

  step(k = 1): void {
    this.n += k;
  }
}

/** Fixed-capacity FIFO replay buffer of (state, action, reward) rows; sampling uses the run's Rng. */
export class ReplayBuffer {
  private readonly states: number[][] = [];
  private readonly actions: number[][] = [];
  private readonly rewards: number[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.rewards.length;
  }

  push(state: number[], action: number[], reward: number): void {
    if (this.rewards.length < this.capacity) {
      this.states.push(state);
      this.actions.push(action);
      this.rewards.push(reward);
    } else {
      this.states[this.next] = state;
      this.actions[this.next] = action;
      this.rewards[this.next] = reward;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** n rows drawn uniformly with replacement. */
  sample(rng: Rng, n: number): { states: number[][]; actions: number[][]; rewards: number[] } {
    const states: number[][] = [];
    const actions: number[][] = [];
    const rewards: number[] = [];
    for (let i = 0; i < n; i++) {
      const j = rng.int(this.rewards.length);
      states.push(this.states[j]);
      actions.push(this.actions[j]);
      rewards.push(this.rewards[j]);
    }
    return { states, actions, rewards };
  }
}

/** Exponential moving average for logged losses. */
export class Ema {
  value: number | null = null;
  constructor(readonly alpha = 0.1) {}
  add(x: number): void {
    if (!Number.isFinite(x)) return;
    this.value = this.value === null ? x : this.value + this.alpha * (x - this.value);
  }
}
