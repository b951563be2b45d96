/**
 * Grid reconfiguration benchmark (`npm run bench:grid [-- options]`).
 *
 *   --only pf,exact,large,rl   sections to run (default all)
 *   --large-time SEC           time budget per large feeder (default 60)
 *   --train N --test N         learning agent scenarios (default 300 / 100)
 *   --epochs N                 learning agent epochs (default 60)
 *   --quick                    short run: large-time 10, train 60, test 20, epochs 30
 *   --json FILE                also write the figures as JSON
 *
 * Prints markdown tables for docs/benchmarks.md. The machine is shared: figures are noisy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { parseCase, baseClosed, type GridCase } from '../simulators/grid/network.ts';
import { RadialSolver, newton, luSolve } from '../simulators/grid/powerflow.ts';
import { Evaluator } from '../simulators/grid/evaluate.ts';
import { exactSearch } from '../simulators/grid/exact.ts';
import { reconfigure } from '../main/grid/reconfigure.ts';
import { runRl } from '../main/grid/rl.ts';

const { values: v } = parseArgs({
  options: {
    only: { type: 'string' },
    'large-time': { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    epochs: { type: 'string' },
    quick: { type: 'boolean' },
    json: { type: 'string' },
  },
});
const quick = !!v.quick;
const only = new Set((v.only ?? 'pf,exact,large,rl').split(','));
const largeTime = Number(v['large-time'] ?? (quick ? 10 : 60));
const nTrain = Number(v.train ?? (quick ? 60 : 300));
const nTest = Number(v.test ?? (quick ? 20 : 100));
const epochs = Number(v.epochs ?? (quick ? 30 : 60));
const FEEDERS = ['case33bw', 'case69_ties', 'case84tpc', 'case118zh', 'case136ma'];
const load = (f: string) => parseCase(readFileSync(new URL(`../resources/grid/${f}.m`, import.meta.url), 'utf8'), `${f}.m`);
const figures: Record<string, unknown> = { machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), shared`, node: process.version, date: new Date().toISOString() };

/** Straightforward dense Newton-Raphson (the baseline): full complex Ybus, full Jacobian loops. */
function denseNewton(c: GridCase, closed: Uint8Array): { ok: boolean; lossKw: number } {
  const n = c.buses.length;
  const G = new Float64Array(n * n);
  const B = new Float64Array(n * n);
  c.branches.forEach((b, k) => {
    if (!closed[k]) return;
    const z2 = b.rPu * b.rPu + b.xPu * b.xPu;
    const g = b.rPu / z2;
    const bb = -b.xPu / z2;
    G[b.from * n + b.from] += g;
    B[b.from * n + b.from] += bb;
    G[b.to * n + b.to] += g;
    B[b.to * n + b.to] += bb;
    G[b.from * n + b.to] -= g;
    B[b.from * n + b.to] -= bb;
    G[b.to * n + b.from] -= g;
    B[b.to * n + b.from] -= bb;
  });
  const pq: number[] = [];
  for (let i = 0; i < n; i++) if (!c.sources.includes(i)) pq.push(i);
  const vm = new Float64Array(n).fill(c.sourceVPu);
  const va = new Float64Array(n);
  const np = pq.length;
  const P = new Float64Array(n);
  const Q = new Float64Array(n);
  for (let it = 0; it < 30; it++) {
    for (let i = 0; i < n; i++) {
      let p = 0;
      let q = 0;
      for (let k = 0; k < n; k++) {
        const th = va[i] - va[k];
        p += vm[i] * vm[k] * (G[i * n + k] * Math.cos(th) + B[i * n + k] * Math.sin(th));
        q += vm[i] * vm[k] * (G[i * n + k] * Math.sin(th) - B[i * n + k] * Math.cos(th));
      }
      P[i] = p;
      Q[i] = q;
    }
    const F = new Float64Array(2 * np);
    let fmax = 0;
    pq.forEach((i, a) => {
      F[a] = P[i] + c.pNetPu[i];
      F[np + a] = Q[i] + c.qNetPu[i];
      fmax = Math.max(fmax, Math.abs(F[a]), Math.abs(F[np + a]));
    });
    if (fmax < 1e-8) {
      let loss = 0;
      for (let i = 0; i < n; i++) loss += P[i];
      return { ok: true, lossKw: loss * c.baseMva * 1000 };
    }
    const N2 = 2 * np;
    const J = new Float64Array(N2 * N2);
    pq.forEach((i, a) => {
      pq.forEach((k, b) => {
        const th = va[i] - va[k];
        const g = G[i * n + k];
        const bb = B[i * n + k];
        if (i === k) {
          J[a * N2 + b] = -Q[i] - bb * vm[i] * vm[i];
          J[a * N2 + np + b] = P[i] / vm[i] + g * vm[i];
          J[(np + a) * N2 + b] = P[i] - g * vm[i] * vm[i];
          J[(np + a) * N2 + np + b] = Q[i] / vm[i] - bb * vm[i];
        } else {
          J[a * N2 + b] = vm[i] * vm[k] * (g * Math.sin(th) - bb * Math.cos(th));
          J[a * N2 + np + b] = vm[i] * (g * Math.cos(th) + bb * Math.sin(th));
          J[(np + a) * N2 + b] = -vm[i] * vm[k] * (g * Math.cos(th) + bb * Math.sin(th));
          J[(np + a) * N2 + np + b] = vm[i] * (g * Math.sin(th) - bb * Math.cos(th));
        }
      });
    });
    for (let a = 0; a < N2; a++) F[a] = -F[a];
    if (!luSolve(J, F, N2)) return { ok: false, lossKw: NaN };
    pq.forEach((i, a) => {
      va[i] += F[a];
      vm[i] += F[np + a];
    });
  }
  return { ok: false, lossKw: NaN };
}

function timeIt(fn: () => void, minMs: number): number {
  for (let i = 0; i < 3; i++) fn();
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    reps++;
    t = performance.now();
  }
  return ((t - t0) / reps) * 1000; // microseconds
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

async function main(): Promise<void> {
  console.log(`# grid bench: ${figures.machine}, node ${process.version}${quick ? ' (quick)' : ''}\n`);
  if (only.has('pf')) {
    console.log('## Power flow (base configuration, median of 5 timings)\n');
    console.log('| feeder | buses | sweep us | Newton us | dense Newton (baseline) us | baseline / sweep | baseline / Newton | loss kW (sweep, baseline) |');
    console.log('|---|---|---|---|---|---|---|---|');
    const rows: unknown[] = [];
    for (const f of FEEDERS) {
      const c = load(f);
      const cl = baseClosed(c);
      const s = new RadialSolver(c);
      const tS = median(Array.from({ length: 5 }, () => timeIt(() => s.solve(cl), 200)));
      const tN = median(Array.from({ length: 5 }, () => timeIt(() => newton(c, cl), 200)));
      const tD = median(Array.from({ length: 3 }, () => timeIt(() => denseNewton(c, cl), 300)));
      const ls = s.solve(cl);
      const ld = denseNewton(c, cl);
      rows.push({ feeder: f, sweepUs: tS, newtonUs: tN, denseNewtonUs: tD });
      console.log(`| ${f} | ${c.buses.length} | ${fmt(tS, 1)} | ${fmt(tN, 0)} | ${fmt(tD, 0)} | ${fmt(tD / tS, 0)}x | ${fmt(tD / tN, 1)}x | ${ls.ok ? fmt(ls.lossKw, 3) : '-'}, ${fmt(ld.lossKw, 3)} |`);
    }
    figures.powerFlow = rows;
    console.log('');
  }
  if (only.has('exact')) {
    console.log('## Exact agent: time to a proven optimum (branch and bound from the base configuration, 3 runs)\n');
    console.log('| feeder | optimum kW | open rows | min V p.u. | proven | median s | nodes | power flows |');
    console.log('|---|---|---|---|---|---|---|---|');
    const rows: unknown[] = [];
    for (const f of ['case33bw', 'case69_ties']) {
      const c = load(f);
      const times: number[] = [];
      let last = null as ReturnType<typeof exactSearch> | null;
      let pfs = 0;
      for (let k = 0; k < 3; k++) {
        const ev = new Evaluator(c);
        const t0 = performance.now();
        last = exactSearch(ev, { incumbent: baseClosed(c), timeLimitMs: 120000 });
        times.push((performance.now() - t0) / 1000);
        pfs = ev.powerFlows;
      }
      const open = last!.closed ? [...last!.closed].map((x, k) => (x ? 0 : k + 1)).filter(Boolean) : [];
      rows.push({ feeder: f, lossKw: last!.score?.lossKw, open, proven: last!.proven, seconds: times, nodes: last!.nodes, powerFlows: pfs });
      console.log(`| ${f} | ${fmt(last!.score!.lossKw, 2)} | ${open.join(' ')} | ${fmt(last!.score!.minVPu, 4)} | ${last!.proven} | ${fmt(median(times), 2)} | ${last!.nodes} | ${pfs} |`);
    }
    figures.exact = rows;
    console.log('');
  }
  if (only.has('large')) {
    console.log(`## Large feeders: best found within ${largeTime} s (agent exhaustive = branch exchange warm start + branch and bound; agent local = branch exchange with restarts)\n`);
    console.log('| feeder | agent | base kW | best kW | min V p.u. | open rows | found at s | status | power flows |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    const rows: unknown[] = [];
    for (const f of ['case84tpc', 'case118zh', 'case136ma']) {
      const c = load(f);
      for (const agent of ['local', 'exhaustive'] as const) {
        const t0 = performance.now();
        let foundAt = 0;
        let bestSeen = Infinity;
        const out = await reconfigure(c, f, { agent, seed: 1, timeLimit: largeTime, pareto: false }, {
          shouldStop: () => false,
          progress: () => {},
          journal: (rec) => {
            const l = rec.lossKw as number;
            if (rec.type === 'incumbent' && rec.feasible && l < bestSeen - 1e-9) {
              bestSeen = l;
              foundAt = (performance.now() - t0) / 1000;
            }
          },
          log: () => {},
        });
        const r = out.result;
        rows.push({ feeder: f, agent, baseLossKw: r.baseLossKw, lossKw: r.lossKw, minVoltagePu: r.minVoltagePu, open: r.openBranches, foundAtS: foundAt, status: r.proofStatus, powerFlows: r.powerFlows });
        console.log(`| ${f} | ${agent} | ${fmt(r.baseLossKw, 2)} | ${fmt(r.lossKw, 2)} | ${fmt(r.minVoltagePu, 4)} | ${r.openBranches.join(' ')} | ${fmt(foundAt, 1)} | ${r.proofStatus} | ${r.powerFlows} |`);
      }
    }
    figures.large = rows;
    console.log('');
  }
  if (only.has('rl')) {
    console.log(`## Learning agent: ${nTrain} training scenarios, ${nTest} unseen scenarios, ${epochs} epochs (reference = exact agent per scenario)\n`);
    console.log('| feeder | backend | train+label s | mean gap % | worst gap % | scenarios at optimum | invalid outputs (edges/cycles/subgraphs) | mean inference ms | median | p95 | worst |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    const rows: unknown[] = [];
    for (const f of ['case33bw', 'case69_ties']) {
      const c = load(f);
      const ev = new Evaluator(c);
      const { Rng } = await import('../simulators/rng.ts');
      const t0 = performance.now();
      const r = await runRl(c, { agent: 'rl', seed: 1, timeLimit: 0, pareto: false, rl: { trainScenarios: nTrain, testScenarios: nTest, epochs, loadLow: 0.5, loadHigh: 1.5, referenceTimeLimit: 10 } }, ev, new Rng(1), {
        shouldStop: () => false,
        progress: () => {},
        journal: () => {},
        log: () => {},
      });
      const secs = (performance.now() - t0) / 1000;
      const g = r.scenarios.map((s) => s.gapPct);
      const ms = r.scenarios.map((s) => s.inferenceMs);
      const inv = r.scenarios.reduce((a, s) => [a[0] + s.invalidEdges, a[1] + s.cycles, a[2] + s.subgraphs], [0, 0, 0]);
      const mean = g.reduce((a, b) => a + b, 0) / g.length;
      rows.push({ feeder: f, backend: r.backend, seconds: secs, meanGapPct: mean, worstGapPct: Math.max(...g), atOptimum: g.filter((x) => x < 1e-6).length, invalid: inv, meanInferenceMs: ms.reduce((a, b) => a + b, 0) / ms.length, worstInferenceMs: Math.max(...ms) });
      console.log(`| ${f} | ${r.backend} | ${fmt(secs, 0)} | ${fmt(mean, 3)} | ${fmt(Math.max(...g), 3)} | ${g.filter((x) => x < 1e-6).length}/${g.length} | ${inv.join('/')} | ${fmt(ms.reduce((a, b) => a + b, 0) / ms.length, 2)} | ${fmt(median(ms), 2)} | ${fmt([...ms].sort((a, b) => a - b)[Math.floor(ms.length * 0.95)], 2)} | ${fmt(Math.max(...ms), 2)} |`);
    }
    figures.rl = rows;
    console.log('');
  }
  if (v.json) writeFileSync(v.json, JSON.stringify(figures, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
