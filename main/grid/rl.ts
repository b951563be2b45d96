/**
 * Learning agent for reconfiguration under changing loads (TensorFlow.js).
 *
 * Policy: an MLP maps a load scenario (per-bus load factors) to one "open" logit per branch. Its
 * output is decoded through the switch-space encoding of simulators/grid/topology.ts (Kruskal on the
 * logits: branches open in decreasing logit as long as they lie on a loop), so every output is radial
 * and connected by construction: the LLM4DistReconfig counts (invalid edges, cycles, subgraphs) are
 * zero for every scenario, and the result reports them measured, not assumed.
 * Training: supervised on load-perturbed scenarios of the feeder labelled by the exact agent (on
 * feeders with more than 8 loops, where it rarely finishes, by branch exchange with restarts): the
 * policy imitates a proven (or best-known) teacher.
 * Inference: one forward pass (trained weights copied out of TensorFlow.js into a plain-array MLP,
 * identical numbers, microseconds), the decode, then a few power flows (a bounded branch exchange
 * over the branches next to each open one on its loop).
 */
import type { GridScenarioReport } from '../../contract/grid.ts';
import type { GridCase } from '../../simulators/grid/network.ts';
import { better, Evaluator, type Score } from '../../simulators/grid/evaluate.ts';
import { exactSearch } from '../../simulators/grid/exact.ts';
import { descend, localSearch } from '../../simulators/grid/search.ts';
import type { Topology } from '../../simulators/grid/topology.ts';
import type { Rng } from '../../simulators/rng.ts';
import type { Sequential, Tensor } from '@tensorflow/tfjs';
import { loadTf, type Tf } from '../learning/backend.ts';
import type { ReconfigureOptions, RlRunner, RunHooks } from './reconfigure.ts';

export interface Scenario {
  /** Load factor per bus (1 = the case's load). */
  factor: Float64Array;
}

/** Normalised daily load shapes (24 h) for two customer classes. */
const RESIDENTIAL = [0.55, 0.5, 0.48, 0.47, 0.48, 0.55, 0.7, 0.85, 0.8, 0.72, 0.7, 0.72, 0.74, 0.72, 0.7, 0.74, 0.85, 1.0, 1.1, 1.12, 1.05, 0.95, 0.8, 0.65];
const COMMERCIAL = [0.45, 0.43, 0.42, 0.42, 0.44, 0.5, 0.65, 0.85, 1.0, 1.1, 1.15, 1.15, 1.1, 1.15, 1.15, 1.1, 1.0, 0.9, 0.75, 0.65, 0.6, 0.55, 0.5, 0.47];

/**
 * Load scenarios: half scale each load by an independent factor in [lo, hi]; half follow a daily
 * profile (buses alternate between residential and commercial classes by index blocks) at a random
 * hour, with +-10 % noise, scaled into [lo, hi].
 */
export function makeScenarios(c: GridCase, count: number, lo: number, hi: number, rng: Rng): Scenario[] {
  const n = c.buses.length;
  const out: Scenario[] = [];
  for (let s = 0; s < count; s++) {
    const f = new Float64Array(n);
    if (s % 2 === 0) {
      for (let i = 0; i < n; i++) f[i] = rng.uniform(lo, hi);
    } else {
      const hour = rng.int(24);
      const level = rng.uniform(0.8, 1.2);
      for (let i = 0; i < n; i++) {
        const shape = Math.floor(i / 8) % 2 === 0 ? RESIDENTIAL[hour] : COMMERCIAL[hour];
        const mid = (lo + hi) / 2;
        const half = (hi - lo) / 2;
        const v = mid + half * (shape * level * rng.uniform(0.9, 1.1) - 0.8) / 0.45;
        f[i] = Math.min(hi, Math.max(lo, v));
      }
    }
    out.push({ factor: f });
  }
  return out;
}

export function scenarioEvaluator(c: GridCase, sc: Scenario, topo: Topology, vMinPu?: number): Evaluator {
  const p = Float64Array.from(c.pNetPu, (x, i) => x * sc.factor[i]);
  const q = Float64Array.from(c.qNetPu, (x, i) => x * sc.factor[i]);
  return new Evaluator(c, { pNetPu: p, qNetPu: q, vMinPu }, topo);
}

/** Reference optimum of a scenario: exact search (proven when it finishes), warm-started. */
export function referenceSolve(ev: Evaluator, warm: Uint8Array | null, timeLimitMs: number, rng?: Rng): { closed: Uint8Array; score: Score; proven: boolean } | null {
  if (ev.topo.loops > 8 && rng) {
    // large feeders: the exact search rarely finishes, branch exchange with restarts labels them
    const r = localSearch(ev, rng, { start: warm ?? undefined, maxRestarts: 8, timeLimitMs });
    return r.closed && r.score ? { closed: r.closed, score: r.score, proven: false } : null;
  }
  let inc = warm;
  if (inc) {
    const d = descend(ev, inc);
    inc = d.closed;
  }
  const r = exactSearch(ev, { incumbent: inc ?? undefined, timeLimitMs });
  if (!r.closed || !r.score) return null;
  return { closed: r.closed, score: r.score, proven: r.proven };
}

export class GridPolicy {
  private model: Sequential;
  constructor(
    readonly tf: Tf,
    readonly nIn: number,
    readonly nOut: number,
    seed: number,
    hidden = 128,
  ) {
    const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
    this.model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [nIn], units: hidden, activation: 'relu', kernelInitializer: init(seed) }),
        tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: init(seed + 1) }),
        tf.layers.dense({ units: nOut, kernelInitializer: init(seed + 2) }),
      ],
    });
    this.model.compile({ optimizer: tf.train.adam(1e-3), loss: (y: Tensor, p: Tensor) => tf.losses.sigmoidCrossEntropy(y, p) });
  }

  static features(sc: Scenario): Float32Array {
    return Float32Array.from(sc.factor, (f) => f - 1);
  }

  async fit(x: Float32Array[], y: Float32Array[], epochs: number, onEpoch?: (e: number, loss: number) => void, shouldStop?: () => boolean): Promise<number> {
    const tf = this.tf;
    const X = tf.tensor2d(concat(x), [x.length, this.nIn]);
    const Y = tf.tensor2d(concat(y), [y.length, this.nOut]);
    let last = NaN;
    await this.model.fit(X, Y, {
      epochs,
      batchSize: 32,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (e, logs) => {
          last = logs?.loss ?? NaN;
          onEpoch?.(e, last);
          if (shouldStop?.()) this.model.stopTraining = true;
        },
      },
    });
    X.dispose();
    Y.dispose();
    return last;
  }

  /** Dense layers as plain arrays (kernel row-major [in][out], bias), refreshed after training. */
  private layers: { w: Float32Array; b: Float32Array; nIn: number; nOut: number; relu: boolean }[] | null = null;

  /** Copies the trained weights out of TensorFlow.js for a microsecond forward pass. */
  freeze(): void {
    const ws = this.model.getWeights();
    this.layers = [];
    for (let i = 0; i < ws.length; i += 2) {
      const [nIn, nOut] = ws[i].shape as [number, number];
      this.layers.push({ w: ws[i].dataSync() as Float32Array, b: ws[i + 1].dataSync() as Float32Array, nIn, nOut, relu: i + 2 < ws.length });
    }
  }

  /** Policy logits; uses the frozen weights when available (same numbers as the tfjs model). */
  logits(sc: Scenario): Float32Array {
    if (!this.layers) return this.tfLogits(sc);
    let x = GridPolicy.features(sc);
    for (const L of this.layers) {
      const y = Float32Array.from(L.b);
      for (let i = 0; i < L.nIn; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        const row = i * L.nOut;
        for (let j = 0; j < L.nOut; j++) y[j] += xi * L.w[row + j];
      }
      if (L.relu) for (let j = 0; j < L.nOut; j++) if (y[j] < 0) y[j] = 0;
      x = y;
    }
    return x;
  }

  /** Forward pass through TensorFlow.js. */
  tfLogits(sc: Scenario): Float32Array {
    const tf = this.tf;
    return tf.tidy(() => {
      const out = this.model.predict(tf.tensor2d(GridPolicy.features(sc), [1, this.nIn])) as Tensor;
      return out.dataSync() as Float32Array;
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}

function concat(a: Float32Array[]): Float32Array {
  const n = a.length ? a[0].length : 0;
  const out = new Float32Array(a.length * n);
  a.forEach((v, i) => out.set(v, i * n));
  return out;
}

/**
 * Inference for one scenario: decode the logits into a radial configuration, then at most
 * `maxPf` power flows of branch exchange restricted to the branches next to each open branch.
 */
export function infer(policy: GridPolicy, ev: Evaluator, sc: Scenario, maxPfOpt?: number): { closed: Uint8Array; score: Score } {
  const topo = ev.topo;
  const maxPf = maxPfOpt ?? Math.max(24, 3 * topo.loops);
  const logit = policy.logits(sc);
  let cur = topo.decode(logit);
  let curS = ev.score(cur);
  let used = 1;
  let improved = true;
  while (improved && used < maxPf) {
    improved = false;
    for (let e = 0; e < cur.length && used < maxPf; e++) {
      if (cur[e] || topo.selfLoop[e]) continue;
      // loop of e: path between its ends; the neighbours of e on the loop are the path's ends
      const path = topo.treePath(cur, topo.eu[e], topo.ev[e]);
      if (!path.length) continue;
      const cands = path.length === 1 ? [path[0]] : [path[0], path[path.length - 1]];
      for (const f of cands) {
        const cand = cur.slice();
        cand[e] = 1;
        cand[f] = 0;
        const s = ev.score(cand);
        used++;
        if (better(s, curS)) {
          cur = cand;
          curS = s;
          improved = true;
          break;
        }
      }
    }
  }
  return { closed: cur, score: curS };
}

export function openLabel(closed: Uint8Array): Float32Array {
  return Float32Array.from(closed, (v) => (v ? 0 : 1));
}

export const runRl: RlRunner = async (c: GridCase, opt: ReconfigureOptions, ev: Evaluator, rng: Rng, hooks: RunHooks) => {
  const ro = opt.rl ?? { trainScenarios: 300, testScenarios: 100, epochs: 60, loadLow: 0.5, loadHigh: 1.5, referenceTimeLimit: 5 };
  const { tf, backend } = await loadTf();
  const topo = ev.topo;
  const m = c.branches.length;
  let powerFlows = 0;
  const progress = (phase: string, message: string) =>
    hooks.progress(
      { agent: 'rl', powerFlows: ev.powerFlows + powerFlows, bestOpenBranches: null, bestLossKw: null, bestMinVoltagePu: null, baseLossKw: null, lowerBoundKw: null, trace: [], vmPu: null, phase },
      ev.powerFlows + powerFlows,
      message,
    );
  // 1. training scenarios labelled by the exact agent
  const train = makeScenarios(c, ro.trainScenarios, ro.loadLow, ro.loadHigh, rng);
  const X: Float32Array[] = [];
  const Y: Float32Array[] = [];
  let warm: Uint8Array | null = null;
  let unproven = 0;
  for (let s = 0; s < train.length; s++) {
    if (hooks.shouldStop()) break;
    const sev = scenarioEvaluator(c, train[s], topo, opt.vMinPu);
    const ref = referenceSolve(sev, warm, ro.referenceTimeLimit * 1000, rng);
    powerFlows += sev.powerFlows;
    if (!ref) continue;
    if (!ref.proven) unproven++;
    warm = ref.closed;
    X.push(GridPolicy.features(train[s]));
    Y.push(openLabel(ref.closed));
    if (s % 10 === 0) progress('training', `labelling scenario ${s + 1}/${train.length}`);
  }
  hooks.journal({ type: 'rl-labels', scenarios: X.length, unproven, powerFlows });
  const policy = new GridPolicy(tf, c.buses.length, m, rng.nextU32() % 1000000);
  const finalLoss = await policy.fit(X, Y, ro.epochs, (e, l) => {
    if (e % 10 === 0) progress('training', `epoch ${e + 1}/${ro.epochs}, loss ${l.toFixed(4)}`);
  }, hooks.shouldStop);
  policy.freeze();
  hooks.journal({ type: 'rl-trained', epochs: ro.epochs, loss: finalLoss, backend });
  // 2. unseen scenarios: inference against the reference optimum
  const test = makeScenarios(c, ro.testScenarios, ro.loadLow, ro.loadHigh, rng);
  policy.logits({ factor: new Float64Array(c.buses.length).fill(1) }); // warm-up (kernel set-up) outside the timing
  const reports: GridScenarioReport[] = [];
  for (let s = 0; s < test.length; s++) {
    if (hooks.shouldStop()) break;
    const sev = scenarioEvaluator(c, test[s], topo, opt.vMinPu);
    const t0 = performance.now();
    const r = infer(policy, sev, test[s]);
    const ms = performance.now() - t0;
    const inferPf = sev.powerFlows;
    const ref = referenceSolve(sev, r.closed, ro.referenceTimeLimit * 1000, rng);
    powerFlows += sev.powerFlows;
    const chk = topo.check(r.closed);
    const refLoss = ref && ref.score.solved ? Math.min(ref.score.lossKw, r.score.lossKw) : r.score.lossKw;
    reports.push({
      scenario: s,
      lossKw: r.score.lossKw,
      referenceLossKw: refLoss,
      gapPct: (100 * (r.score.lossKw - refLoss)) / refLoss,
      minVoltagePu: r.score.minVPu,
      inferenceMs: ms,
      invalidEdges: chk.invalidEdges,
      cycles: chk.cycles,
      subgraphs: chk.subgraphs,
    });
    hooks.journal({ type: 'rl-scenario', scenario: s, lossKw: r.score.lossKw, referenceLossKw: refLoss, inferencePowerFlows: inferPf, inferenceMs: ms });
    if (s % 10 === 0) progress('inference', `scenario ${s + 1}/${test.length}`);
  }
  // 3. the case's own loads
  const nominal: Scenario = { factor: new Float64Array(c.buses.length).fill(1) };
  const r = infer(policy, ev, nominal);
  policy.dispose();
  const gaps = reports.map((x) => x.gapPct);
  const note = reports.length
    ? `learning agent (${backend}): ${X.length} training scenarios (${unproven} labels not proven optimal), ${reports.length} unseen scenarios: mean gap ${(gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3)} %, worst ${Math.max(...gaps).toFixed(3)} %, invalid outputs ${reports.filter((x) => x.cycles + x.subgraphs + x.invalidEdges > 0).length}`
    : '';
  ev.powerFlows += powerFlows;
  return { closed: r.closed, scenarios: reports, backend, note };
};
