/**
 * Exact reconfiguration by branch and bound over spanning trees of the merged feeder graph.
 *
 * Branching: on a branch that lies on a loop of the still-allowed network (closed + undecided),
 * "open" first (the branch carrying the least relaxed flow), then "closed".
 * Bound: the loss of the allowed network with loads at 1 p.u. voltage and flows split as in a purely
 * resistive network (which minimises sum r (P^2 + Q^2) over all flows meeting the loads), divided by
 * the source voltage squared. For feeders with non-negative loads, no generation or shunts and no
 * voltage above the source (checked on every evaluated configuration), this is a lower bound on the
 * AC loss of every radial configuration inside the allowed network, so pruning is exact.
 * Leaves are radial configurations checked by a full power flow and the voltage limits.
 */
import type { Evaluator, Score } from './evaluate.ts';
import { better } from './evaluate.ts';
import { UnionFind } from './topology.ts';


export interface ExactOptions {
  timeLimitMs?: number;
  /** Maximum exchanges from the base configuration (each exchange = 2 switching operations). */
  maxExchanges?: number;
  /** Base configuration for maxExchanges. */
  base?: Uint8Array;
  /** A known radial configuration to start from (tightens pruning). */
  incumbent?: Uint8Array;
  shouldStop?: () => boolean;
  onImprove?: (closed: Uint8Array, s: Score) => void;
  now?: () => number;
}

export interface ExactResult {
  closed: Uint8Array | null;
  score: Score | null;
  /** True when the search finished with a valid bound: the result is optimal. */
  proven: boolean;
  /** Finished the whole tree (proof also needs boundValid). */
  finished: boolean;
  boundValid: boolean;
  rootBoundKw: number;
  nodes: number;
  leaves: number;
  seconds: number;
  /** Why the bound is not rigorous, if it is not. */
  boundNote: string | null;
}

export function boundAssumptions(ev: Evaluator): string | null {
  const c = ev.c;
  const p = ev.opt.pNetPu ?? c.pNetPu;
  const q = ev.opt.qNetPu ?? c.qNetPu;
  for (let i = 0; i < p.length; i++) if (p[i] < -1e-15 || q[i] < -1e-15) return `bus ${c.buses[i].id} injects power (negative net load)`;
  if (c.buses.some((b) => b.gShuntPu !== 0 || b.bShuntPu !== 0)) return 'bus shunts present';
  if (c.branches.some((b) => b.bPu !== 0)) return 'line charging present';
  if (c.branches.some((b) => b.xPu < 0)) return 'series capacitors (negative reactance) present';
  if (!c.plainLines) return 'transformer taps or phase shifters present';
  if (c.pvBuses.length) return 'voltage-controlled generators present';
  return null;
}

export function exactSearch(ev: Evaluator, opt: ExactOptions = {}): ExactResult {
  const now = opt.now ?? (() => performance.now());
  const t0 = now();
  const c = ev.c;
  const topo = ev.topo;
  const N = topo.N;
  const m = c.branches.length;
  const L = topo.loops;
  const kW = (c.baseMva * 1000) / (c.sourceVPu * c.sourceVPu);
  const boundNote = boundAssumptions(ev);
  let boundValid = boundNote === null;
  const pN = new Float64Array(N);
  const qN = new Float64Array(N);
  const p = ev.opt.pNetPu ?? c.pNetPu;
  const q = ev.opt.qNetPu ?? c.qNetPu;
  for (let i = 0; i < p.length; i++) {
    pN[topo.node[i]] += p[i];
    qN[topo.node[i]] += q[i];
  }
  const g = Float64Array.from(c.branches, (b) => 1 / Math.max(b.rPu, 1e-12));
  // state: 0 undecided, 1 closed, 2 open
  const st = new Uint8Array(m);
  let nOpen = 0;
  for (let k = 0; k < m; k++) if (topo.selfLoop[k]) st[k] = 2;
  const base = opt.base;
  const K = opt.maxExchanges ?? Infinity;
  let opened = 0; // base-closed branches opened
  let closedTies = 0; // base-open branches closed
  const n1 = N - 1;
  let best: Score | null = null;
  let bestClosed: Uint8Array | null = null;
  let nodes = 0;
  let leaves = 0;
  let stopped = false;
  const deadline = opt.timeLimitMs !== undefined ? t0 + opt.timeLimitMs : Infinity;
  let fallback: { closed: Uint8Array; s: Score } | null = null;

  const consider = (closed: Uint8Array) => {
    const s = ev.score(closed);
    if (s.solved && ev.lastSolution && ev.lastSolution.maxVPu > c.sourceVPu + 1e-9) boundValid = false;
    if (s.feasible && better(s, best)) {
      best = s;
      bestClosed = closed.slice();
      opt.onImprove?.(bestClosed, s);
    } else if (!best && s.solved && (!fallback || better(s, fallback.s))) {
      // the least-violating solved configuration is the answer when none meets the limits
      fallback = { closed: closed.slice(), s };
    }
  };
  if (opt.incumbent && topo.isRadialConnected(opt.incumbent)) {
    if (!base || exchanges(opt.incumbent, base) <= K) consider(opt.incumbent);
  }
  const bestLoss = () => (best && (best as Score).feasible && boundValid ? (best as Score).lossKw - 1e-9 : Infinity);

  // Inverse of the grounded Laplacian of the allowed network, one per open-depth (Sherman-Morrison
  // downdates when a branch opens), and the node potentials for P and Q loads.
  const Ms: Float64Array[] = [];
  const XP: Float64Array[] = [];
  const XQ: Float64Array[] = [];
  for (let d = 0; d <= L; d++) {
    Ms.push(new Float64Array(n1 * n1));
    XP.push(new Float64Array(N));
    XQ.push(new Float64Array(N));
  }
  let rootBound = Infinity;
  if (topo.meshConnected && n1 > 0) {
    const A = new Float64Array(n1 * n1);
    for (let k = 0; k < m; k++) {
      if (st[k] === 2) continue;
      const u = topo.eu[k] - 1;
      const v = topo.ev[k] - 1;
      if (u >= 0) A[u * n1 + u] += g[k];
      if (v >= 0) A[v * n1 + v] += g[k];
      if (u >= 0 && v >= 0) {
        A[u * n1 + v] -= g[k];
        A[v * n1 + u] -= g[k];
      }
    }
    const M = Ms[0];
    for (let j = 0; j < n1; j++) {
      const A2 = A.slice();
      const col = new Float64Array(n1);
      col[j] = 1;
      luSolveSmall(A2, col, n1);
      for (let i = 0; i < n1; i++) M[i * n1 + j] = col[i];
    }
    potentials(M, n1, pN, XP[0]);
    potentials(M, n1, qN, XQ[0]);
    let e = 0;
    for (let i = 1; i < N; i++) e += pN[i] * XP[0][i] + qN[i] * XQ[0][i];
    rootBound = e * kW;
  }
  const Mget = (M: Float64Array, u: number, v: number) => (u > 0 && v > 0 ? M[(u - 1) * n1 + (v - 1)] : 0);

  const uf = new UnionFind(N);
  const closedAcyclic = (): boolean => {
    uf.reset();
    for (let k = 0; k < m; k++) if (st[k] === 1 && !uf.union(topo.eu[k], topo.ev[k])) return false;
    return true;
  };
  const leafClosed = new Uint8Array(m);
  const mask = new Uint8Array(m);
  const delta = new Float64Array(m);
  const w = new Float64Array(n1);

  const visit = (d: number, E: number): void => {
    if (stopped) return;
    nodes++;
    if ((nodes & 63) === 0 && (now() > deadline || opt.shouldStop?.())) {
      stopped = true;
      return;
    }
    if (E >= bestLoss()) return;
    if (nOpen === L) {
      leaves++;
      for (let k = 0; k < m; k++) leafClosed[k] = st[k] === 2 ? 0 : 1;
      consider(leafClosed);
      return;
    }
    const M = Ms[d];
    const xp = XP[d];
    const xq = XQ[d];
    for (let k = 0; k < m; k++) mask[k] = st[k] === 2 ? 0 : 1;
    const br = topo.bridges(mask);
    const fixed: number[] = [];
    const ub = bestLoss();
    let pick = -1;
    let pickDelta = Infinity;
    for (let k = 0; k < m; k++) {
      if (st[k] !== 0) continue;
      let must = br[k] === 1;
      if (!must) {
        const u = topo.eu[k];
        const v = topo.ev[k];
        const R = Mget(M, u, u) + Mget(M, v, v) - 2 * Mget(M, u, v);
        const den = 1 - g[k] * R;
        if (!(den > 1e-12)) must = true;
        else {
          const dp = xp[u] - xp[v];
          const dq = xq[u] - xq[v];
          const dl = ((g[k] * (dp * dp + dq * dq)) / den) * kW;
          delta[k] = dl;
          if (E + dl >= ub) must = true; // opening k cannot beat the incumbent: k stays closed here
          else if (dl < pickDelta) {
            pickDelta = dl;
            pick = k;
          }
        }
      }
      if (must) fixed.push(k);
    }
    for (const k of fixed) {
      st[k] = 1;
      if (base && !base[k]) closedTies++;
    }
    const undo = () => {
      for (const k of fixed) {
        st[k] = 0;
        if (base && !base[k]) closedTies--;
      }
    };
    if (pick < 0 || closedTies > K || !closedAcyclic()) {
      undo();
      return;
    }
    // child 1: open `pick` (Sherman-Morrison downdate of the inverse into depth d + 1)
    const opensChange = base ? base[pick] === 1 : false;
    if (!opensChange || opened < K) {
      const u = topo.eu[pick];
      const v = topo.ev[pick];
      const gk = g[pick];
      for (let i = 0; i < n1; i++) w[i] = (u > 0 ? M[i * n1 + u - 1] : 0) - (v > 0 ? M[i * n1 + v - 1] : 0);
      const R = (u > 0 ? w[u - 1] : 0) - (v > 0 ? w[v - 1] : 0);
      const den = 1 - gk * R;
      const M2 = Ms[d + 1];
      const f = gk / den;
      for (let i = 0; i < n1; i++) {
        const fi = f * w[i];
        const row = i * n1;
        for (let j = 0; j < n1; j++) M2[row + j] = M[row + j] + fi * w[j];
      }
      const ap = xp[u] - xp[v];
      const aq = xq[u] - xq[v];
      const xp2 = XP[d + 1];
      const xq2 = XQ[d + 1];
      xp2[0] = 0;
      xq2[0] = 0;
      for (let i = 0; i < n1; i++) {
        xp2[i + 1] = xp[i + 1] + f * ap * w[i];
        xq2[i + 1] = xq[i + 1] + f * aq * w[i];
      }
      st[pick] = 2;
      nOpen++;
      if (opensChange) opened++;
      visit(d + 1, E + pickDelta);
      st[pick] = 0;
      nOpen--;
      if (opensChange) opened--;
    }
    // child 2: close `pick`
    const closesChange = base ? base[pick] === 0 : false;
    if (!closesChange || closedTies < K) {
      st[pick] = 1;
      if (closesChange) closedTies++;
      if (closedAcyclic()) visit(d, E);
      st[pick] = 0;
      if (closesChange) closedTies--;
    }
    undo();
  };
  if (topo.meshConnected && rootBound < Infinity) visit(0, rootBound);
  const finished = !stopped;
  const fb = fallback as { closed: Uint8Array; s: Score } | null;
  const outClosed: Uint8Array | null = bestClosed ?? fb?.closed ?? null;
  const outScore: Score | null = best ?? fb?.s ?? null;
  return {
    closed: outClosed,
    score: outScore,
    proven: finished && boundValid && best !== null,
    finished,
    boundValid,
    rootBoundKw: rootBound,
    nodes,
    leaves,
    seconds: (now() - t0) / 1000,
    boundNote: boundValid ? null : (boundNote ?? 'a configuration had a voltage above the source voltage'),
  };
}

function potentials(M: Float64Array, n1: number, load: Float64Array, x: Float64Array): void {
  x[0] = 0;
  for (let i = 0; i < n1; i++) {
    let s = 0;
    for (let j = 0; j < n1; j++) s += M[i * n1 + j] * load[j + 1];
    x[i + 1] = s;
  }
}

function luSolveSmall(A: Float64Array, b: Float64Array, n: number): void {
  // symmetric positive definite: Gaussian elimination without pivoting
  for (let k = 0; k < n; k++) {
    const piv = A[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / piv;
      if (f === 0) continue;
      for (let j = k; j < n; j++) A[i * n + j] -= f * A[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= A[i * n + j] * b[j];
    b[i] = s / A[i * n + i];
  }
}

/** Exchanges between two radial configurations (= open branches of `a` that are closed in `b`). */
export function exchanges(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) if (!a[k] && b[k]) d++;
  return d;
}

/** Switching operations between two configurations (every branch whose status differs). */
export function switchingOps(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) d++;
  return d;
}
