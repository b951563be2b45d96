/**
 * DDPG as in "Learning to Design Circuits" (L2DC, Wang et al. 2018), read top to bottom:
 *
 *   state  s : constant (the paper's environment observes nothing between steps: each episode is one
 *              design; we feed a constant vector of ones so the first layer has an input)
 *   action a : the design, a in [-1, 1]^d (tanh), mapped to the unit cube u = (a + 1) / 2 and from there
 *              to each variable's range and scale by the driver
 *   reward r : the L2DC score of the simulated design (../reward.ts): shortfalls until the hard
 *              constraints hold, then the targets' ratios to the reference; -5 for a failed simulation
 *
 *   1. warm-up: `warmup` designs drawn uniformly (fills the replay buffer, trains the critic)
 *   2. then every design is  a = clip(mu(s) + N(0, sigma^2) truncated to [-1, 1])  with sigma decaying
 *   3. after each told batch, `trainStepsPerEval` updates per design:
 *        critic: minimise (Q(s, a) - y)^2,  y = r + gamma * Q'(s', mu'(s'))   (gamma = 0: y = r)
 *        actor : maximise Q(s, mu(s)) - actionL2 * |pre-tanh|^2 - selfImitation * |mu(s) - a_elite|^2
 *        targets mu', Q' <- tau * (mu, Q) + (1 - tau) * (mu', Q')
 *
 * Self-imitation (our addition, after Oh et al., "Self-Imitation Learning", ICML 2018): a_elite is the
 * rank-weighted mean (weights log(k + 1/2) - log(i)) of the `eliteCount` best designs found so far, so
 * the actor is also trained to reproduce its own best past actions, and the exploration noise samples
 * around them. Without it the actor follows only the critic's gradient, and a critic fitted to every
 * design in the buffer (failures at -5, feasible designs near +2) cannot resolve the last per mille of
 * a shortfall: on the three-stage TIA with `--beat-reference` (four tight constraints) plain DDPG
 * stopped 1-12 % short of the bandwidth spec in every seed. `selfImitation: 0` is plain DDPG.
 *
 * Shaped exploration (our addition, the rank-mu covariance idea of CMA-ES applied to DDPG's noise):
 * with `noiseShape` > 0 the noise around mu(s) is sigma * L z, where L L^T = (1 - noiseShape) * I +
 * noiseShape * C / (tr C / d) and C is the rank-weighted covariance of the `shapeElites` best designs
 * so far. sigma keeps its schedule (the mean step per coordinate is unchanged); only the direction of
 * the steps follows the directions along which the best designs differ. Near a corner of several
 * tight constraints (on the TIA with `--beat-reference`: power at the limit, bandwidth just short,
 * the two pulling in nearly opposite directions), the good designs line up along the narrow ridge
 * where bandwidth is bought with area rather than power, and isotropic noise rarely steps along it:
 * plain isotropic noise left the search 0.005-0.3 % short of the bandwidth spec in 4 of seeds 6-10.
 *
 * With the paper's one-step episodes the bootstrapped term vanishes (gamma = 0); the target networks
 * are kept (they are part of the algorithm and used when gamma > 0) and the target actor mu' is the
 * smoothed policy we report in stats (`charts/target-action-spread`).
 *
 * The defaults below follow the paper where it states them (two-layer MLPs for actor and critic, a
 * random warm-up, truncated-normal exploration with decaying sigma, replay buffer, Adam); the exact
 * numbers (layer width, rates, warm-up size, noise schedule, self-imitation weight) are ours, tuned on
 * the analytic problem of test/circuit/agents.test.ts and on the three-stage TIA
 * (bench/circuit-agents.ts; the figures are in docs/benchmarks.md, "Circuit agents").
 */
import type { Tf } from '../../learning/backend.ts';
import { loadTf, backendReport } from '../../learning/backend.ts';
import { DecayingNoise, Ema, ReplayBuffer, shapedNormal, spreadShape, truncatedNormal, uniformPoint } from './common.ts';
import type { AgentContext, SizingAgent } from './types.ts';
import type * as tfTypes from '@tensorflow/tfjs';

export interface DdpgConfig {
  /** Hidden layer widths of actor and critic. */
  hidden: number[];
  actorLr: number;
  criticLr: number;
  /** Target-network soft-update rate. */
  tau: number;
  /** Discount (0 = the paper's one-step episodes). */
  gamma: number;
  batchSize: number;
  bufferSize: number;
  /** Random designs before the actor proposes; capped at a quarter of the budget. */
  warmup: number;
  /** Exploration noise (std of the truncated normal in action units [-1, 1]) at the end of warm-up... */
  noiseSigma0: number;
  /** ...decaying geometrically to this at the end of the budget. */
  noiseSigmaMin: number;
  /** Gradient steps (critic + actor) per simulated design. */
  trainStepsPerEval: number;
  /** Penalty on the actor's pre-tanh outputs (keeps it off the saturated bounds). */
  actionL2: number;
  /** Rewards are clipped to this range before training (the fail score -5 is inside). */
  rewardClip: [number, number];
  /**
   * Weight of the self-imitation term in the actor's loss (0 = plain DDPG). See "Self-imitation"
   * in the header: the actor is also pulled towards the best designs found so far.
   */
  selfImitation: number;
  /** How many of the best designs so far the self-imitation term imitates (rank-weighted). */
  eliteCount: number;
  /**
   * Share of the exploration noise shaped by the best designs so far, in [0, 1] (0 = isotropic, the
   * paper's). See "Shaped exploration" in the header.
   */
  noiseShape: number;
  /** How many of the best designs shape the noise (0 = twice the number of variables). */
  shapeElites: number;
}

export const DDPG_DEFAULTS: DdpgConfig = {
  hidden: [100, 100],
  actorLr: 1e-3,
  criticLr: 2e-3,
  tau: 0.05,
  gamma: 0,
  batchSize: 64,
  bufferSize: 100_000,
  warmup: 100,
  noiseSigma0: 0.3,
  noiseSigmaMin: 0.01,
  trainStepsPerEval: 4,
  actionL2: 1e-3,
  rewardClip: [-5, 10],
  selfImitation: 10,
  eliteCount: 4,
  noiseShape: 0.8,
  shapeElites: 0,
};

const STATE_DIM = 1;

type Tensor = tfTypes.Tensor;
type Variable = tfTypes.Variable;

/** An MLP as plain variables (so target copies and soft updates are one line each). */
class Mlp {
  readonly vars: Variable[] = [];

  constructor(
    private readonly tf: Tf,
    sizes: number[],
    rng: AgentContext['rng'],
    private readonly outAct: 'tanh' | 'linear',
    name: string,
    outScale = 1,
  ) {
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      const last = l + 2 === sizes.length;
      const limit = Math.sqrt(6 / (fanIn + fanOut)) * (last ? outScale : 1);
      const w = Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * limit);
      this.vars.push(tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true, `${name}/w${l}`));
      this.vars.push(tf.variable(tf.zeros([fanOut]), true, `${name}/b${l}`));
    }
  }

  /** Output before the final activation. */
  pre(x: Tensor): Tensor {
    const tf = this.tf;
    let h = x;
    for (let i = 0; i < this.vars.length; i += 2) {
      h = tf.add(tf.matMul(h as tfTypes.Tensor2D, this.vars[i] as unknown as tfTypes.Tensor2D), this.vars[i + 1]);
      if (i + 2 < this.vars.length) h = tf.relu(h);
    }
    return h;
  }

  apply(x: Tensor): Tensor {
    const p = this.pre(x);
    return this.outAct === 'tanh' ? this.tf.tanh(p) : p;
  }

  copyFrom(o: Mlp, tau = 1): void {
    this.tf.tidy(() => {
      this.vars.forEach((v, i) => v.assign(tau === 1 ? o.vars[i] : this.tf.add(this.tf.mul(o.vars[i], tau), this.tf.mul(v, 1 - tau))));
    });
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
  }
}

export async function createDdpgAgent(ctx: AgentContext, config: Partial<DdpgConfig> = {}): Promise<SizingAgent> {
  const cfg: DdpgConfig = { ...DDPG_DEFAULTS, ...config };
  const { tf, backend } = await loadTf();
  const { rng, dims } = ctx;
  const warmup = Math.max(1, Math.min(cfg.warmup, Math.floor(ctx.budget / 4)));
  const noise = new DecayingNoise(cfg.noiseSigma0, cfg.noiseSigmaMin, null, Math.max(1, ctx.budget - warmup));

  const actor = new Mlp(tf, [STATE_DIM, ...cfg.hidden, dims], rng, 'tanh', 'actor', 0.1);
  const critic = new Mlp(tf, [STATE_DIM + dims, ...cfg.hidden, 1], rng, 'linear', 'critic');
  const actorTarget = new Mlp(tf, [STATE_DIM, ...cfg.hidden, dims], rng, 'tanh', 'actor-target', 0.1);
  const criticTarget = new Mlp(tf, [STATE_DIM + dims, ...cfg.hidden, 1], rng, 'linear', 'critic-target');
  actorTarget.copyFrom(actor);
  criticTarget.copyFrom(critic);
  const actorOpt = tf.train.adam(cfg.actorLr);
  const criticOpt = tf.train.adam(cfg.criticLr);
  const buffer = new ReplayBuffer(cfg.bufferSize);
  const state = Array(STATE_DIM).fill(1);
  const criticLoss = new Ema();
  const actorQ = new Ema();
  let told = 0;
  let updates = 0;
  // The best designs so far (action units), best first; the self-imitation target is the
  // rank-weighted mean (weights log(k + 1/2) - log(i), sum 1) of the first `eliteCount`, the noise
  // shape comes from the first `shapeElites`. Both are recomputed only when the set changes.
  const shapeCount = cfg.noiseShape > 0 ? (cfg.shapeElites > 0 ? cfg.shapeElites : 2 * dims) : 0;
  const keep = Math.max(cfg.selfImitation > 0 ? cfg.eliteCount : 0, shapeCount);
  const elites: { a: number[]; r: number }[] = [];
  let eliteTarget: Tensor | null = null;
  let shape: number[][] | null = null;
  const rankWeights = (k: number): number[] => {
    const w = Array.from({ length: k }, (_, i) => Math.log(k + 0.5) - Math.log(i + 1));
    const sum = w.reduce((x, y) => x + y, 0);
    return w.map((x) => x / sum);
  };
  function noteElite(a: number[], r: number): void {
    if (keep === 0) return;
    if (elites.length >= keep && r <= elites[elites.length - 1].r) return;
    elites.push({ a, r });
    elites.sort((x, y) => y.r - x.r);
    if (elites.length > keep) elites.pop();
    if (cfg.selfImitation > 0) {
      const top = elites.slice(0, cfg.eliteCount);
      const w = rankWeights(top.length);
      eliteTarget?.dispose();
      eliteTarget = tf.tensor2d([Array.from({ length: dims }, (_, j) => top.reduce((acc, e, i) => acc + w[i] * e.a[j], 0))]);
    }
    if (shapeCount > 0 && elites.length >= Math.min(shapeCount, dims + 1)) {
      const top = elites.slice(0, shapeCount);
      shape = spreadShape(
        top.map((e) => e.a),
        rankWeights(top.length),
        1 - cfg.noiseShape,
      );
    }
  }

  function policy(net: Mlp): number[] {
    return tf.tidy(() => Array.from(net.apply(tf.tensor2d([state])).dataSync()));
  }

  function trainStep(): void {
    const batch = buffer.sample(rng, cfg.batchSize);
    const s = tf.tensor2d(batch.states);
    const a = tf.tensor2d(batch.actions);
    let y: Tensor = tf.tensor2d(batch.rewards, [batch.rewards.length, 1]);
    if (cfg.gamma > 0) {
      // One-step episodes end after every design; kept for generality (s' = s, never terminal here).
      const next = tf.tidy(() => criticTarget.apply(tf.concat([s, actorTarget.apply(s)], 1)));
      const y2 = tf.add(y, tf.mul(next, cfg.gamma));
      y.dispose();
      next.dispose();
      y = y2;
    }
    const lc = criticOpt.minimize(() => tf.losses.meanSquaredError(y, critic.apply(tf.concat([s, a], 1))) as tfTypes.Scalar, true, critic.vars);
    criticLoss.add(lc ? lc.dataSync()[0] : NaN);
    lc?.dispose();
    const la = actorOpt.minimize(
      () => {
        const pre = actor.pre(s);
        const act = tf.tanh(pre);
        const q = critic.apply(tf.concat([s, act], 1));
        let loss = tf.sub(tf.mul(tf.mean(tf.square(pre)), cfg.actionL2), tf.mean(q));
        if (eliteTarget) loss = tf.add(loss, tf.mul(tf.mean(tf.sum(tf.square(tf.sub(act, eliteTarget)), 1)), cfg.selfImitation));
        return loss as tfTypes.Scalar;
      },
      true,
      actor.vars,
    );
    actorQ.add(la ? -la.dataSync()[0] : NaN);
    la?.dispose();
    actorTarget.copyFrom(actor, cfg.tau);
    criticTarget.copyFrom(critic, cfg.tau);
    tf.dispose([s, a, y]);
    updates++;
  }

  const agent: SizingAgent = {
    name: 'ddpg',
    backend,
    ask(n: number): number[][] {
      if (told < warmup) return Array.from({ length: Math.min(n, warmup - told) }, () => uniformPoint(rng, dims));
      const mu = policy(actor);
      const sigma = noise.sigma;
      if (shape) return Array.from({ length: n }, () => shapedNormal(rng, mu, sigma, shape, -1, 1).map((x) => (x + 1) / 2));
      return Array.from({ length: n }, () => mu.map((m) => (truncatedNormal(rng, m, sigma, -1, 1) + 1) / 2));
    },
    tell(units: number[][], scores: number[]): void {
      units.forEach((u, i) => {
        const r = Math.min(cfg.rewardClip[1], Math.max(cfg.rewardClip[0], scores[i]));
        const a = u.map((x) => 2 * x - 1);
        buffer.push(state, a, r);
        noteElite(a, r);
      });
      const before = told;
      told += units.length;
      if (told > warmup) noise.step(told - Math.max(before, warmup));
      if (buffer.size >= Math.min(cfg.batchSize, warmup)) {
        for (let k = 0; k < cfg.trainStepsPerEval * units.length; k++) trainStep();
      }
    },
    stats(): Record<string, number> {
      const mu = told >= warmup ? policy(actorTarget) : null;
      const out: Record<string, number> = { 'charts/noise': told < warmup ? 1 : noise.sigma, 'charts/updates': updates, 'charts/buffer': buffer.size };
      if (criticLoss.value !== null) out['losses/critic'] = criticLoss.value;
      if (actorQ.value !== null) out['losses/actor-q'] = actorQ.value;
      if (mu) out['charts/target-action-spread'] = Math.sqrt(mu.reduce((s, x) => s + x * x, 0) / mu.length);
      if (told >= warmup && elites.length > 0) {
        // How far the actor's own output sits from the best design so far (RMS, action units).
        const a = policy(actor);
        out['charts/actor-to-best'] = Math.sqrt(a.reduce((s, x, j) => s + (x - elites[0].a[j]) ** 2, 0) / a.length);
      }
      return out;
    },
    dispose(): void {
      [actor, critic, actorTarget, criticTarget].forEach((m) => m.dispose());
      eliteTarget?.dispose();
      actorOpt.dispose();
      criticOpt.dispose();
    },
  };
  return agent;
}

/** The picker's one-line report (after a DDPG agent was created). */
export function ddpgBackendSummary(): string | null {
  return backendReport()?.summary ?? null;
}
