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
