/**
 * Multi-armed bandits that choose the destroy arm (Balans uses MABWiser through ALNS's MABSelector).
 * Each keeps, per arm, the pull count and the mean reward; rewards are the outcome scores
 * (best / better / accepted / rejected; Balans default 8 / 4 / 2 / 1).
 *
 * - epsilon-greedy: with probability epsilon a uniform arm, else the best mean (MABWiser default 0.05)
 * - ucb1: every arm once, then mean + alpha * sqrt(2 ln N / n) (MABWiser default alpha 1)
 * - thompson: Beta(1 + s, 1 + f) per arm with the reward scaled to [0, 1] by the largest score
 *   counted as a fractional success (MABWiser's Thompson needs binary rewards; this is its
 *   fractional form)
 * - softmax: P(arm) proportional to exp(mean / tau) (Balans default tau = 1.359686)
 * Ties break at random; all randomness comes from the Rng passed in.
 */
import type { Rng } from '../rng.ts';
import type { MipBandit } from '../../contract/mip.ts';

export interface BanditParams {
  epsilon: number;
  alpha: number;
  tau: number;
  /** Largest reward (Thompson scaling). */
  maxReward: number;
}

export const BANDIT_DEFAULTS: BanditParams = { epsilon: 0.05, alpha: 1, tau: 1.359686, maxReward: 8 };

export class Bandit {
  readonly pulls: number[];
  readonly meanReward: number[];
  private readonly successes: number[];
  private readonly failures: number[];

  constructor(
    readonly kind: MipBandit,
    readonly arms: number,
    private readonly params: BanditParams = BANDIT_DEFAULTS,
  ) {
    if (arms < 1) throw new Error('a bandit needs at least one arm');
    this.pulls = new Array<number>(arms).fill(0);
    this.meanReward = new Array<number>(arms).fill(0);
    this.successes = new Array<number>(arms).fill(0);
    this.failures = new Array<number>(arms).fill(0);
  }

  select(rng: Rng): number {
    const n = this.arms;
    switch (this.kind) {
      case 'epsilon-greedy':
        if (rng.next() < this.params.epsilon) return rng.int(n);
        return argmax(this.meanReward, rng);
      case 'ucb1': {
        const untried = this.pulls.map((p, i) => (p === 0 ? i : -1)).filter((i) => i >= 0);
        if (untried.length) return untried[rng.int(untried.length)];
        const total = this.pulls.reduce((a, b) => a + b, 0);
        return argmax(
          this.meanReward.map((m, i) => m + this.params.alpha * Math.sqrt((2 * Math.log(total)) / this.pulls[i])),
          rng,
        );
      }
      case 'thompson':
        return argmax(
          this.successes.map((s, i) => betaSample(1 + s, 1 + this.failures[i], rng)),
          rng,
        );
      case 'softmax': {
        const tau = this.params.tau;
        const top = Math.max(...this.meanReward);
        const w = this.meanReward.map((m) => Math.exp((m - top) / tau));
        const sum = w.reduce((a, b) => a + b, 0);
        let u = rng.next() * sum;
        for (let i = 0; i < n; i++) {
          u -= w[i];
          if (u < 0) return i;
        }
        return n - 1;
      }
    }
  }

  update(arm: number, reward: number): void {
    this.pulls[arm]++;
    this.meanReward[arm] += (reward - this.meanReward[arm]) / this.pulls[arm];
    const p = Math.min(1, Math.max(0, reward / this.params.maxReward));
    this.successes[arm] += p;
    this.failures[arm] += 1 - p;
  }
}

function argmax(xs: readonly number[], rng: Rng): number {
  let best = -Infinity;
  let idx: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] > best + 1e-12) {
      best = xs[i];
      idx = [i];
    } else if (Math.abs(xs[i] - best) <= 1e-12) idx.push(i);
  }
  return idx[rng.int(idx.length)];
}

/** Gamma(shape, 1) by Marsaglia-Tsang (shape >= 1 here). */
function gammaSample(shape: number, rng: Rng): number {
  if (shape < 1) return gammaSample(shape + 1, rng) * Math.pow(Math.max(rng.next(), 1e-300), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function betaSample(a: number, b: number, rng: Rng): number {
  const x = gammaSample(a, rng);
  const y = gammaSample(b, rng);
  return x / (x + y);
}
