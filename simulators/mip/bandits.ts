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
 *
 * Deviation from MABWiser / Balans (on by default, `tryEachFirst`): every bandit first pulls each arm
 * once, in random order, before its own rule applies (UCB1 always does). With every mean starting at
 * 0, softmax and epsilon-greedy otherwise lock onto the first arm that earns any reward (the smallest
 * reward, "rejected", is already 1 > 0), and arms that would win are never tried in a short run.
 * `disable(arm)` takes an arm out of the selection for good (e.g. RINS when no LP relaxation is found).
 */
import type { Rng } from '../rng.ts';
import type { MipBandit } from '../../contract/mip.ts';

export interface BanditParams {
  epsilon: number;
  alpha: number;
  tau: number;
  /** Largest reward (Thompson scaling). */
  maxReward: number;
  /** Pull every arm once (random order) before the bandit's rule applies (default true). */
  tryEachFirst?: boolean;
}

export const BANDIT_DEFAULTS: BanditParams = { epsilon: 0.05, alpha: 1, tau: 1.359686, maxReward: 8, tryEachFirst: true };

export class Bandit {
  readonly pulls: number[];
  readonly meanReward: number[];
  private readonly successes: number[];
  private readonly failures: number[];
  private readonly active: boolean[];

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
    this.active = new Array<boolean>(arms).fill(true);
  }

  /** Arms still in the selection. */
  get activeArms(): number[] {
    return this.active.map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
  }

  /** Takes an arm out of the selection for good (at least one arm must stay). */
  disable(arm: number): void {
    this.active[arm] = false;
    if (!this.active.some(Boolean)) throw new Error('a bandit needs at least one active arm');
  }

  select(rng: Rng): number {
    const act = this.activeArms;
    if (act.length === 0) throw new Error('a bandit needs at least one active arm');
    const untried = act.filter((i) => this.pulls[i] === 0);
    if (untried.length && (this.kind === 'ucb1' || (this.params.tryEachFirst ?? true))) return untried[rng.int(untried.length)];
    const pick = (scores: number[]) => act[argmax(scores, rng)];
    switch (this.kind) {
      case 'epsilon-greedy':
        if (rng.next() < this.params.epsilon) return act[rng.int(act.length)];
        return pick(act.map((i) => this.meanReward[i]));
      case 'ucb1': {
        const total = act.reduce((a, i) => a + this.pulls[i], 0);
        return pick(act.map((i) => this.meanReward[i] + this.params.alpha * Math.sqrt((2 * Math.log(total)) / this.pulls[i])));
      }
      case 'thompson':
        return pick(act.map((i) => betaSample(1 + this.successes[i], 1 + this.failures[i], rng)));
      case 'softmax': {
        const tau = this.params.tau;
        const means = act.map((i) => this.meanReward[i]);
        const top = Math.max(...means);
        const w = means.map((m) => Math.exp((m - top) / tau));
        const sum = w.reduce((a, b) => a + b, 0);
        let u = rng.next() * sum;
        for (let k = 0; k < act.length; k++) {
          u -= w[k];
          if (u < 0) return act[k];
        }
        return act[act.length - 1];
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
