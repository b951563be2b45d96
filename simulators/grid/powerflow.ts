/**
 * Power flow for distribution feeders.
 *
 * - `RadialSolver.sweep`: backward/forward sweep (current summation) for radial configurations,
 *   converged when no bus voltage moves by more than `tolPu` (1e-8 p.u.) in an iteration.
 * - `newton`: polar Newton-Raphson on the bus admittance matrix (meshed networks, taps, PV buses,
 *   or configurations where the sweep does not converge).
 * - A configuration without a power-flow solution (collapse, divergence) is reported as
 *   `{ ok: false }`: callers treat it as infeasible, never as cheap.
 */
import type { GridCase } from './network.ts';

export interface PfSolution {
  ok: true;
  method: 'sweep' | 'newton';
  iterations: number;
  vmPu: Float64Array;
  vaRad: Float64Array;
  lossPu: number;
  lossKw: number;
  minVPu: number;
  /** Bus index of the lowest voltage. */
  minVBus: number;
  maxVPu: number;
  /** Active power entering each branch at its from end (p.u.); 0 for open branches. */
  pFromPu: Float64Array;
}

export interface PfFailure {
  ok: false;
  reason: 'not-radial' | 'islanded' | 'diverged';
  message: string;
}

export type PfResult = PfSolution | PfFailure;

export interface PfOptions {
  tolPu?: number;
  maxIter?: number;
  /** Net demand per bus in p.u. (defaults to the case's); used for load scenarios. */
  pNetPu?: Float64Array;
  qNetPu?: Float64Array;
}

/** Radial structure of a configuration: BFS order from the sources. */
export interface Tree {
  order: Int32Array; // buses in BFS order (sources first)
  parent: Int32Array; // parent bus (-1 for sources)
  parentBranch: Int32Array; // branch index to parent (-1 for sources)
  nRoots: number;
}

export class RadialSolver {
  readonly n: number;
  private adjStart: Int32Array;
  private adjBranch: Int32Array;
  private adjOther: Int32Array;
  private vr: Float64Array;
  private vi: Float64Array;
  private jr: Float64Array;
  private ji: Float64Array;
  private ysh: Float64Array; // shunt susceptance per bus (p.u.) incl. line charging of closed branches
  private gsh: Float64Array;
  readonly tree: Tree;
  /** Power flows run by this solver (sweeps and Newton fallbacks). */
  count = 0;
  /** The last sweep ran out of iterations while still converging (worth a Newton attempt). */
  lastStalled = false;

  constructor(readonly c: GridCase) {
    const n = c.buses.length;
    this.n = n;
    const deg = new Int32Array(n + 1);
    for (const b of c.branches) {
      deg[b.from + 1]++;
      deg[b.to + 1]++;
    }
    for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
    this.adjStart = deg;
    const fill = deg.slice(0, n);
    this.adjBranch = new Int32Array(2 * c.branches.length);
    this.adjOther = new Int32Array(2 * c.branches.length);
    c.branches.forEach((b, k) => {
      this.adjBranch[fill[b.from]] = k;
      this.adjOther[fill[b.from]++] = b.to;
      this.adjBranch[fill[b.to]] = k;
      this.adjOther[fill[b.to]++] = b.from;
    });
    this.vr = new Float64Array(n);
    this.vi = new Float64Array(n);
    this.jr = new Float64Array(n);
    this.ji = new Float64Array(n);
    this.ysh = new Float64Array(n);
    this.gsh = new Float64Array(n);
    this.tree = { order: new Int32Array(n), parent: new Int32Array(n), parentBranch: new Int32Array(n), nRoots: 0 };
  }

  /**
   * Builds the BFS tree of a configuration. Returns 'ok', 'not-radial' (a closed loop, or two
   * sources connected) or 'islanded' (a bus not reachable from any source).
   */
  buildTree(closed: Uint8Array): 'ok' | 'not-radial' | 'islanded' {
    const { order, parent, parentBranch } = this.tree;
    parent.fill(-2);
    let head = 0;
    let tail = 0;
    for (const s of this.c.sources) {
      order[tail++] = s;
      parent[s] = -1;
      parentBranch[s] = -1;
    }
    this.tree.nRoots = tail;
    let loop = false;
    while (head < tail) {
      const u = order[head++];
      for (let a = this.adjStart[u]; a < this.adjStart[u + 1]; a++) {
        const k = this.adjBranch[a];
        if (!closed[k] || k === parentBranch[u]) continue;
        const v = this.adjOther[a];
        if (parent[v] !== -2) {
          loop = true;
          continue;
        }
        parent[v] = u;
        parentBranch[v] = k;
        order[tail++] = v;
      }
    }
    if (loop) return 'not-radial';
    if (tail < this.n) return 'islanded';
    return 'ok';
  }

  /** Backward/forward sweep; falls back to Newton when the sweep does not converge. */
  solve(closed: Uint8Array, opt: PfOptions = {}): PfResult {
    this.count++;
    const t = this.buildTree(closed);
    if (t === 'not-radial') return newton(this.c, closed, opt);
    if (t === 'islanded') return { ok: false, reason: 'islanded', message: 'some buses are not connected to a source' };
    const c = this.c;
    if (!c.plainLines || c.pvBuses.length > 0) return newton(c, closed, opt);
    const r = this.sweepTree(closed, opt);
    if (r.ok || !this.lastStalled) return r;
    const nr = newton(c, closed, opt);
    return nr.ok ? nr : r;
  }

  /** Sweep on the tree built by buildTree (call buildTree first). */
  sweepTree(closed: Uint8Array, opt: PfOptions = {}): PfResult {
    const c = this.c;
    const n = this.n;
    const tol = opt.tolPu ?? 1e-8;
    const maxIter = opt.maxIter ?? 100;
    const pNet = opt.pNetPu ?? c.pNetPu;
    const qNet = opt.qNetPu ?? c.qNetPu;
    const { order, parent, parentBranch, nRoots } = this.tree;
    const { vr, vi, jr, ji, ysh, gsh } = this;
    const br = c.branches;
    for (let i = 0; i < n; i++) {
      gsh[i] = c.buses[i].gShuntPu;
      ysh[i] = c.buses[i].bShuntPu;
    }
    for (let k = nRoots; k < n; k++) {
      const b = br[parentBranch[order[k]]];
      if (b.bPu !== 0) {
        ysh[b.from] += b.bPu / 2;
        ysh[b.to] += b.bPu / 2;
      }
    }
    const v0 = c.sourceVPu;
    vr.fill(v0);
    vi.fill(0);
    let it = 0;
    let converged = false;
    let prevD = Infinity;
    let rising = 0;
    while (it < maxIter) {
      it++;
      // load currents I = conj(S / V) + Y V
      for (let k = nRoots; k < n; k++) {
        const i = order[k];
        const a = vr[i];
        const b = vi[i];
        const m2 = a * a + b * b;
        const p = pNet[i];
        const q = qNet[i];
        // conj((p + jq)/(a + jb)) = (p a + q b)/m2 + j (p b - q a)/m2
        jr[i] = (p * a + q * b) / m2 + (gsh[i] * a - ysh[i] * b);
        ji[i] = (p * b - q * a) / m2 + (gsh[i] * b + ysh[i] * a);
      }
      for (let k = n - 1; k >= nRoots; k--) {
        const i = order[k];
        const pa = parent[i];
        jr[pa] += jr[i];
        ji[pa] += ji[i];
      }
      let dmax = 0;
      for (let k = nRoots; k < n; k++) {
        const i = order[k];
        const b = br[parentBranch[i]];
        const pa = parent[i];
        const nr = vr[pa] - (b.rPu * jr[i] - b.xPu * ji[i]);
        const ni = vi[pa] - (b.rPu * ji[i] + b.xPu * jr[i]);
        const d = Math.abs(nr - vr[i]) + Math.abs(ni - vi[i]);
        if (d > dmax) dmax = d;
        vr[i] = nr;
        vi[i] = ni;
      }
      if (!(dmax < 1e3) || Number.isNaN(dmax)) break;
      if (dmax < tol) {
        converged = true;
        break;
      }
      // a sweep that keeps moving away has no solution to find (voltage collapse)
      rising = dmax > prevD ? rising + 1 : 0;
      if (rising >= 3 && it > 5) break;
      prevD = dmax;
    }
    this.lastStalled = !converged && it >= maxIter && rising === 0;
    let minV = Infinity;
    let maxV = 0;
    let minBus = -1;
    const vm = new Float64Array(n);
    const va = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = Math.hypot(vr[i], vi[i]);
      vm[i] = m;
      va[i] = Math.atan2(vi[i], vr[i]);
      if (m < minV) {
        minV = m;
        minBus = i;
      }
      if (m > maxV) maxV = m;
    }
    if (!converged || !(minV > 0.3))
      return { ok: false, reason: 'diverged', message: `backward/forward sweep did not converge (${it} iterations, lowest |V| ${minV.toFixed(3)} p.u.)` };
    // recompute branch currents at the converged voltages for losses and flows
    let loss = 0;
    const pFrom = new Float64Array(br.length);
    for (let k = nRoots; k < n; k++) {
      const i = order[k];
      const b = br[parentBranch[i]];
      const I2 = jr[i] * jr[i] + ji[i] * ji[i];
      loss += b.rPu * I2;
      // power entering the branch at the parent end: V_parent * conj(I)
      const pa = parent[i];
      const sp = vr[pa] * jr[i] + vi[pa] * ji[i];
      const kk = parentBranch[i];
      pFrom[kk] = b.from === pa ? sp : -(sp - b.rPu * I2);
    }
    return {
      ok: true,
      method: 'sweep',
      iterations: it,
      vmPu: vm,
      vaRad: va,
      lossPu: loss,
      lossKw: loss * c.baseMva * 1000,
      minVPu: minV,
      minVBus: minBus,
      maxVPu: maxV,
      pFromPu: pFrom,
    };
  }
}

/** Solves A x = b in place by LU with partial pivoting (dense, row-major n x n). Returns false if singular. */
export function luSolve(A: Float64Array, b: Float64Array, n: number): boolean {
  const cols = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(A[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(A[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 1e-14)) return false;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = A[k * n + j];
        A[k * n + j] = A[p * n + j];
        A[p * n + j] = t;
      }
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
    const piv = A[k * n + k];
    // non-zero columns of the pivot row (sparse matrices keep few)
    let nnz = 0;
    for (let j = k + 1; j < n; j++) if (A[k * n + j] !== 0) cols[nnz++] = j;
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / piv;
      if (f === 0) continue;
      A[i * n + k] = 0;
      const ri = i * n;
      const rk = k * n;
      for (let t = 0; t < nnz; t++) {
        const j = cols[t];
        A[ri + j] -= f * A[rk + j];
      }
      b[i] -= f * b[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= A[i * n + j] * b[j];
    b[i] = s / A[i * n + i];
  }
  return true;
}

/** Islanding check: every bus reachable from a source through closed branches. */
function reachable(c: GridCase, closed: Uint8Array): boolean {
  const n = c.buses.length;
  const adj: number[][] = Array.from({ length: n }, () => []);
  c.branches.forEach((b, k) => {
    if (closed[k]) {
      adj[b.from].push(b.to);
      adj[b.to].push(b.from);
    }
  });
  const seen = new Uint8Array(n);
  const stack = [...c.sources];
  for (const s of stack) seen[s] = 1;
  let cnt = stack.length;
  while (stack.length) {
    const u = stack.pop()!;
    for (const v of adj[u])
      if (!seen[v]) {
        seen[v] = 1;
        cnt++;
        stack.push(v);
      }
  }
  return cnt === n;
}

/**
 * Polar Newton-Raphson. Jacobian assembled from the sparse admittance structure and factorised
 * densely (feeders are at most a few hundred buses). Converged when the largest power mismatch is
 * below `tolPu`.
 */
export function newton(c: GridCase, closed: Uint8Array, opt: PfOptions = {}): PfResult {
  const tol = opt.tolPu ?? 1e-8;
  const maxIter = opt.maxIter ?? 15;
  const n = c.buses.length;
  if (!reachable(c, closed)) return { ok: false, reason: 'islanded', message: 'some buses are not connected to a source' };
  const pNet = opt.pNetPu ?? c.pNetPu;
  const qNet = opt.qNetPu ?? c.qNetPu;
  // admittance in adjacency form: for each bus, map neighbour -> (G, B); diagonal separately
  const Gd = new Float64Array(n);
  const Bd = new Float64Array(n);
  const nbr: Map<number, [number, number]>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    Gd[i] = c.buses[i].gShuntPu;
    Bd[i] = c.buses[i].bShuntPu;
  }
  const addOff = (i: number, k: number, g: number, b: number) => {
    const e = nbr[i].get(k);
    if (e) {
      e[0] += g;
      e[1] += b;
    } else nbr[i].set(k, [g, b]);
  };
  const yf: { k: number; yff: [number, number]; yft: [number, number]; ytf: [number, number]; ytt: [number, number] }[] = [];
  c.branches.forEach((br, k) => {
    if (!closed[k]) return;
    const z2 = br.rPu * br.rPu + br.xPu * br.xPu;
    const gs = br.rPu / z2;
    const bs = -br.xPu / z2;
    const sh = (br.shiftDeg * Math.PI) / 180;
    const tr = br.tap * Math.cos(sh);
    const ti = br.tap * Math.sin(sh);
    const t2 = br.tap * br.tap;
    const yff: [number, number] = [gs / t2, (bs + br.bPu / 2) / t2];
    const ytt: [number, number] = [gs, bs + br.bPu / 2];
    // yft = -ys / conj(t); ytf = -ys / t
    const cdiv = (ar: number, ai: number, br_: number, bi: number): [number, number] => {
      const d = br_ * br_ + bi * bi;
      return [(ar * br_ + ai * bi) / d, (ai * br_ - ar * bi) / d];
    };
    const yft = cdiv(-gs, -bs, tr, -ti);
    const ytf = cdiv(-gs, -bs, tr, ti);
    yf.push({ k, yff, yft, ytf, ytt });
    Gd[br.from] += yff[0];
    Bd[br.from] += yff[1];
    Gd[br.to] += ytt[0];
    Bd[br.to] += ytt[1];
    addOff(br.from, br.to, yft[0], yft[1]);
    addOff(br.to, br.from, ytf[0], ytf[1]);
  });
  const isRef = new Uint8Array(n);
  for (const s of c.sources) isRef[s] = 1;
  const isPv = new Uint8Array(n);
  const vm = new Float64Array(n).fill(1);
  const va = new Float64Array(n);
  for (const s of c.sources) vm[s] = c.sourceVPu;
  for (const g of c.gens) {
    if (!g.on) continue;
    if (c.pvBuses.includes(g.bus)) {
      isPv[g.bus] = 1;
      vm[g.bus] = g.vgPu;
    }
    if (isRef[g.bus]) vm[g.bus] = g.vgPu;
  }
  // unknown indices: buses farthest from the sources first, angle and magnitude of a bus side by
  // side, so that elimination runs from the leaves up and creates (almost) no fill-in
  const aIdx = new Int32Array(n).fill(-1);
  const mIdx = new Int32Array(n).fill(-1);
  const bfs: number[] = [];
  const seenB = new Uint8Array(n);
  for (const s0 of c.sources) {
    bfs.push(s0);
    seenB[s0] = 1;
  }
  for (let h = 0; h < bfs.length; h++)
    for (const k of nbr[bfs[h]].keys())
      if (!seenB[k]) {
        seenB[k] = 1;
        bfs.push(k);
      }
  let nu = 0;
  for (let h = bfs.length - 1; h >= 0; h--) {
    const i = bfs[h];
    if (isRef[i]) continue;
    aIdx[i] = nu++;
    if (!isPv[i]) mIdx[i] = nu++;
  }
  const P = new Float64Array(n);
  const Q = new Float64Array(n);
  const calc = () => {
    for (let i = 0; i < n; i++) {
      let p = vm[i] * vm[i] * Gd[i];
      let q = -vm[i] * vm[i] * Bd[i];
      for (const [k, [g, b]] of nbr[i]) {
        const th = va[i] - va[k];
        const cs = Math.cos(th);
        const sn = Math.sin(th);
        p += vm[i] * vm[k] * (g * cs + b * sn);
        q += vm[i] * vm[k] * (g * sn - b * cs);
      }
      P[i] = p;
      Q[i] = q;
    }
  };
  const F = new Float64Array(nu);
  const J = new Float64Array(nu * nu);
  let it = 0;
  let converged = false;
  let prevF = Infinity;
  for (;;) {
    calc();
    let fmax = 0;
    for (let i = 0; i < n; i++) {
      if (aIdx[i] >= 0) {
        const f = P[i] + pNet[i];
        F[aIdx[i]] = f;
        if (Math.abs(f) > fmax) fmax = Math.abs(f);
      }
      if (mIdx[i] >= 0) {
        const f = Q[i] + qNet[i];
        F[mIdx[i]] = f;
        if (Math.abs(f) > fmax) fmax = Math.abs(f);
      }
    }
    if (!Number.isFinite(fmax)) break;
    if (fmax < tol) {
      converged = true;
      break;
    }
    if (it >= maxIter) break;
    // Newton near a solution converges quadratically: a mismatch still growing after a few
    // iterations means there is no solution to find
    if (it >= 4 && fmax > prevF) break;
    prevF = fmax;
    it++;
    J.fill(0);
    for (let i = 0; i < n; i++) {
      const ra = aIdx[i];
      const rm = mIdx[i];
      if (ra < 0) continue;
      // diagonal
      J[ra * nu + ra] = -Q[i] - Bd[i] * vm[i] * vm[i];
      if (rm >= 0) {
        J[ra * nu + rm] = P[i] / vm[i] + Gd[i] * vm[i];
        J[rm * nu + ra] = P[i] - Gd[i] * vm[i] * vm[i];
        J[rm * nu + rm] = Q[i] / vm[i] - Bd[i] * vm[i];
      }
      for (const [k, [g, b]] of nbr[i]) {
        const th = va[i] - va[k];
        const cs = Math.cos(th);
        const sn = Math.sin(th);
        const ca = aIdx[k];
        const cm = mIdx[k];
        if (ca >= 0) {
          J[ra * nu + ca] = vm[i] * vm[k] * (g * sn - b * cs);
          if (rm >= 0) J[rm * nu + ca] = -vm[i] * vm[k] * (g * cs + b * sn);
        }
        if (cm >= 0) {
          J[ra * nu + cm] = vm[i] * (g * cs + b * sn);
          if (rm >= 0) J[rm * nu + cm] = vm[i] * (g * sn - b * cs);
        }
      }
    }
    const dx = F.slice();
    for (let k = 0; k < nu; k++) dx[k] = -dx[k];
    if (!luSolve(J, dx, nu)) break;
    for (let i = 0; i < n; i++) {
      if (aIdx[i] >= 0) va[i] += dx[aIdx[i]];
      if (mIdx[i] >= 0) vm[i] += dx[mIdx[i]];
    }
  }
  let minV = Infinity;
  let maxV = 0;
  let minBus = -1;
  for (let i = 0; i < n; i++) {
    if (vm[i] < minV) {
      minV = vm[i];
      minBus = i;
    }
    if (vm[i] > maxV) maxV = vm[i];
  }
  if (!converged || !(minV > 0.3))
    return { ok: false, reason: 'diverged', message: `Newton-Raphson did not converge in ${it} iterations (no power-flow solution)` };
  let loss = 0;
  const pFrom = new Float64Array(c.branches.length);
  for (const { k, yff, yft, ytf, ytt } of yf) {
    const br = c.branches[k];
    const f = br.from;
    const t = br.to;
    const Vf: [number, number] = [vm[f] * Math.cos(va[f]), vm[f] * Math.sin(va[f])];
    const Vt: [number, number] = [vm[t] * Math.cos(va[t]), vm[t] * Math.sin(va[t])];
    const mul = (a: [number, number], b: [number, number]): [number, number] => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
    const If = [mul(yff, Vf)[0] + mul(yft, Vt)[0], mul(yff, Vf)[1] + mul(yft, Vt)[1]];
    const It = [mul(ytf, Vf)[0] + mul(ytt, Vt)[0], mul(ytf, Vf)[1] + mul(ytt, Vt)[1]];
    const Sf = Vf[0] * If[0] + Vf[1] * If[1];
    const St = Vt[0] * It[0] + Vt[1] * It[1];
    pFrom[k] = Sf;
    loss += Sf + St;
  }
  return {
    ok: true,
    method: 'newton',
    iterations: it,
    vmPu: vm,
    vaRad: va,
    lossPu: loss,
    lossKw: loss * c.baseMva * 1000,
    minVPu: minV,
    minVBus: minBus,
    maxVPu: maxV,
    pFromPu: pFrom,
  };
}
