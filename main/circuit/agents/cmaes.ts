/**
 * CMA-ES (Hansen's (mu/mu_w, lambda)-CMA-ES, default strategy parameters of "The CMA Evolution
 * Strategy: A Tutorial", 2016) on the unit cube. A baseline for DDPG with the same budget and seed.
 *
 * Box handling: a sample x outside [0, 1]^d is simulated at its projection clip(x) and its fitness is
 * penalised by `boxPenalty * |x - clip(x)|^2`, so the distribution is pulled back inside.
 * Restart (new random mean, sigma0) when sigma collapses or the covariance degenerates.
 */
import type { AgentContext, SizingAgent } from './types.ts';

export interface CmaesConfig {
  /** Initial step size in unit-cube coordinates. */
  sigma0: number;
  /** Population size; null = 4 + floor(3 ln d). */
  lambda: number | null;
  boxPenalty: number;
  /** Start from the cube's centre (true) or a uniform random point (false). */
  centreStart: boolean;
}

export const CMAES_DEFAULTS: CmaesConfig = { sigma0: 0.3, lambda: null, boxPenalty: 5, centreStart: true };

/** Symmetric eigendecomposition by cyclic Jacobi rotations: C = B diag(d) B^T. */
export function eigSym(C: number[][]): { values: number[]; vectors: number[][] } {
  const n = C.length;
  const A = C.map((r) => [...r]);
  const V: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p][q] * A[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(A[p][q]) < 1e-300) continue;
        const theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k][p];
          const akq = A[k][q];
          A[k][p] = c * akp - s * akq;
          A[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p][k];
          const aqk = A[q][k];
          A[p][k] = c * apk - s * aqk;
          A[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k][p];
          const vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq;
          V[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: A.map((r, i) => r[i]), vectors: V };
}

export function createCmaesAgent(ctx: AgentContext, config: Partial<CmaesConfig> = {}): SizingAgent {
  const cfg = { ...CMAES_DEFAULTS, ...config };
  const { rng } = ctx;
  const N = ctx.dims;
  const lambda = cfg.lambda ?? 4 + Math.floor(3 * Math.log(N));
  const mu = Math.floor(lambda / 2);
  const rawW = Array.from({ length: mu }, (_, i) => Math.log(mu + 0.5) - Math.log(i + 1));
  const sumW = rawW.reduce((a, b) => a + b, 0);
  const w = rawW.map((x) => x / sumW);
  const mueff = 1 / w.reduce((a, b) => a + b * b, 0);
  const cc = (4 + mueff / N) / (N + 4 + (2 * mueff) / N);
  const cs = (mueff + 2) / (N + mueff + 5);
  const c1 = 2 / ((N + 1.3) ** 2 + mueff);
  const cmu = Math.min(1 - c1, (2 * (mueff - 2 + 1 / mueff)) / ((N + 2) ** 2 + mueff));
  const damps = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (N + 1)) - 1) + cs;
  const chiN = Math.sqrt(N) * (1 - 1 / (4 * N) + 1 / (21 * N * N));

  let mean: number[] = [];
  let sigma = cfg.sigma0;
  let C: number[][] = [];
  let B: number[][] = [];
  let D: number[] = [];
  let pc: number[] = [];
  let ps: number[] = [];
  let gen = 0;
  let restarts = 0;
  let evalsThisGen: { x: number[]; fitness: number }[] = [];
  let issued: number[][] = [];
  let issuedCount = 0;

  function reset(randomMean: boolean): void {
    mean = randomMean ? Array.from({ length: N }, () => 0.2 + 0.6 * rng.next()) : Array(N).fill(0.5);
    sigma = cfg.sigma0;
    C = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i === j ? 1 : 0)));
    B = C.map((r) => [...r]);
    D = Array(N).fill(1);
    pc = Array(N).fill(0);
    ps = Array(N).fill(0);
    gen = 0;
  }
  reset(!cfg.centreStart);

  function sample(): number[] {
    const z = Array.from({ length: N }, () => rng.normal());
    const y = Array(N).fill(0);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) y[i] += B[i][j] * D[j] * z[j];
    return mean.map((m, i) => m + sigma * y[i]);
  }

  function update(): void {
    const sorted = [...evalsThisGen].sort((a, b) => b.fitness - a.fitness);
    const old = mean;
    const ys = sorted.slice(0, mu).map((e) => e.x.map((x, i) => (x - old[i]) / sigma));
    const yw = Array(N).fill(0);
    ys.forEach((y, k) => y.forEach((v, i) => (yw[i] += w[k] * v)));
    mean = old.map((m, i) => m + sigma * yw[i]);
    // C^{-1/2} yw = B D^-1 B^T yw
    const bt = Array(N).fill(0);
    for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) bt[j] += B[i][j] * yw[i];
    const invsq = Array(N).fill(0);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) invsq[i] += (B[i][j] * bt[j]) / D[j];
    const csn = Math.sqrt(cs * (2 - cs) * mueff);
    ps = ps.map((p, i) => (1 - cs) * p + csn * invsq[i]);
    const psNorm = Math.hypot(...ps);
    const hsig = psNorm / Math.sqrt(1 - Math.pow(1 - cs, 2 * (gen + 1))) / chiN < 1.4 + 2 / (N + 1) ? 1 : 0;
    const ccn = Math.sqrt(cc * (2 - cc) * mueff);
    pc = pc.map((p, i) => (1 - cc) * p + hsig * ccn * yw[i]);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let rankMu = 0;
        ys.forEach((y, k) => (rankMu += w[k] * y[i] * y[j]));
        C[i][j] = (1 - c1 - cmu) * C[i][j] + c1 * (pc[i] * pc[j] + (1 - hsig) * cc * (2 - cc) * C[i][j]) + cmu * rankMu;
      }
    }
    sigma *= Math.exp((cs / damps) * (psNorm / chiN - 1));
    sigma = Math.min(sigma, 1);
    const e = eigSym(C);
    B = e.vectors;
    D = e.values.map((v) => Math.sqrt(Math.max(v, 1e-20)));
    gen++;
    const maxD = Math.max(...D);
    const minD = Math.min(...D);
    if (sigma * maxD < 1e-7 || maxD / minD > 1e7 || !Number.isFinite(sigma)) {
      restarts++;
      reset(true);
    }
  }

  return {
    name: 'cmaes',
    backend: 'none',
    ask(n: number): number[][] {
      const k = Math.max(1, Math.min(n, lambda - issuedCount));
      const xs = Array.from({ length: k }, () => sample());
      issued.push(...xs);
      issuedCount += k;
      return xs.map((x) => x.map((v) => Math.min(1, Math.max(0, v))));
    },
    tell(units: number[][], scores: number[]): void {
      units.forEach((_, i) => {
        const x = issued.shift();
        if (!x) return;
        const out = x.reduce((s, v) => s + (v < 0 ? v * v : v > 1 ? (v - 1) ** 2 : 0), 0);
        evalsThisGen.push({ x, fitness: scores[i] - cfg.boxPenalty * out });
      });
      if (evalsThisGen.length >= lambda) {
        update();
        evalsThisGen = [];
        issued = [];
        issuedCount = 0;
      }
    },
    stats: () => ({ 'cmaes/sigma': sigma, 'cmaes/generation': gen, 'cmaes/restarts': restarts, 'cmaes/lambda': lambda }),
    dispose: () => {},
  };
}
