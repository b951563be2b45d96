/**
 * The reconfiguration run behind the job, the CLI and the bench: base case, the chosen agent, the
 * loss / switching-operations Pareto front, and the result object of CONTRACTS.md. No file system
 * here (the job writes the exports).
 */
import type { GridParetoPoint, GridProgress, GridResult, GridScenarioReport } from '../../contract/grid.ts';
import { baseClosed, openRows, type GridCase } from '../../simulators/grid/network.ts';
import { better, Evaluator, type Score } from '../../simulators/grid/evaluate.ts';
import { exactSearch, exchanges, switchingOps } from '../../simulators/grid/exact.ts';
import { localSearch } from '../../simulators/grid/search.ts';
import { Rng } from '../../simulators/rng.ts';

export const GRID_AGENTS = ['exhaustive', 'exact', 'local', 'rl'] as const;
export type GridAgent = (typeof GRID_AGENTS)[number];

export interface ReconfigureOptions {
  agent: GridAgent;
  seed: number;
  /** Wall-clock seconds for the agent (the Pareto front gets its own budget). */
  timeLimit: number;
  /** Lower voltage limit for every load bus (default: each bus's VMIN from the case). */
  vMinPu?: number;
  pareto: boolean;
  /** Seconds for the whole Pareto front (default min(30, timeLimit)). */
  paretoTimeLimit?: number;
  /** Learning agent: scenarios for training / testing and the load factor range. */
  rl?: { trainScenarios: number; testScenarios: number; epochs: number; loadLow: number; loadHigh: number; referenceTimeLimit: number };
}

export interface RunHooks {
  shouldStop(): boolean;
  progress(data: GridProgress, evaluations: number, message?: string): void;
  journal(record: Record<string, unknown>): void;
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
  /** Open rows of the best configuration of an interrupted earlier run (resume). */
  previousBest?: number[] | null;
}

export interface RunOutput {
  result: Omit<GridResult, 'exports'>;
  base: Uint8Array;
  best: Uint8Array;
  vmPu: Float64Array | null;
}

/** The learning agent plugs in here (main/grid/rl.ts) so that this module does not load tfjs. */
export type RlRunner = (
  c: GridCase,
  opt: ReconfigureOptions,
  ev: Evaluator,
  rng: Rng,
  hooks: RunHooks,
) => Promise<{ closed: Uint8Array; scenarios: GridScenarioReport[]; backend: string; note: string }>;

export async function reconfigure(c: GridCase, caseLabel: string, opt: ReconfigureOptions, hooks: RunHooks, rl?: RlRunner): Promise<RunOutput> {
  const t0 = performance.now();
  const rng = new Rng(opt.seed);
  const ev = new Evaluator(c, { vMinPu: opt.vMinPu });
  const topo = ev.topo;
  const base = baseClosed(c);
  const messages: string[] = [];
  const baseChk = topo.check(base);
  const baseScore: Score | null = baseChk.connected ? ev.score(base) : null;
  // a meshed base case is scored by Newton (Evaluator only scores radial configurations)
  let baseLoss: number | null = baseScore?.solved ? baseScore.lossKw : null;
  let baseMinV: number | null = baseScore?.solved ? baseScore.minVPu : null;
  if (baseChk.connected && !baseChk.radial) {
    const r = ev.solve(base);
    if (r.ok) {
      baseLoss = r.lossKw;
      baseMinV = r.minVPu;
    }
    messages.push(`the base case is not radial (${baseChk.cycles} closed loop(s)); its loss is from a meshed Newton power flow`);
  }
  if (!baseChk.connected) messages.push(`islanded base case: ${baseChk.subgraphs} part(s) of the network are not fed by a source; the agents reconnect every bus`);
  if (baseScore && baseChk.radial && !baseScore.solved) messages.push('the base case has no power-flow solution');
  for (const m of messages) hooks.log(m, 'warn');

  let best: Uint8Array | null = null;
  let bestS: Score | null = null;
  const trace: [number, number][] = [];
  let lowerBound: number | null = null;
  let lastProgress = 0;
  let pareto: GridParetoPoint[] = [];
  let phase = 'search';
  let bestVm: number[] | null = null;
  const report = (force = false, message?: string) => {
    const now = performance.now();
    if (!force && now - lastProgress < 200) return;
    lastProgress = now;
    hooks.progress(
      {
        agent: opt.agent,
        powerFlows: ev.powerFlows,
        bestOpenBranches: best ? openRows(c, best) : null,
        bestLossKw: bestS?.solved ? bestS.lossKw : null,
        bestMinVoltagePu: bestS?.solved ? bestS.minVPu : null,
        baseLossKw: baseLoss,
        lowerBoundKw: lowerBound,
        trace: trace.slice(-200),
        vmPu: bestVm,
        pareto: pareto.length ? pareto : undefined,
        phase,
      },
      ev.powerFlows,
      message,
    );
  };
  const offer = (closed: Uint8Array, s: Score, source: string) => {
    if (!better(s, bestS)) return;
    best = closed.slice();
    bestS = s;
    if (s.solved) {
      trace.push([ev.powerFlows, s.lossKw]);
      const sol = ev.solve(best);
      bestVm = sol.ok ? Array.from(sol.vmPu) : null;
    }
    hooks.journal({ type: 'incumbent', source, powerFlows: ev.powerFlows, openBranches: openRows(c, closed), lossKw: s.lossKw, minVoltagePu: s.minVPu, feasible: s.feasible });
    report();
  };
  if (baseScore && baseChk.radial) offer(base, baseScore, 'base');
  if (hooks.previousBest?.length) {
    try {
      const prev = new Uint8Array(c.branches.length).fill(1);
      for (const r of hooks.previousBest) prev[r - 1] = 0;
      if (topo.isRadialConnected(prev)) offer(prev, ev.score(prev), 'resume');
    } catch {
      /* a stale journal is ignored */
    }
  }
  const timeMs = opt.timeLimit * 1000;
  const deadline = t0 + timeMs;
  let proofStatus = 'heuristic';
  let scenarios: GridScenarioReport[] | undefined;
  let backend: string | undefined;

  if (!topo.meshConnected) {
    messages.push('some buses cannot be reached from any source even with every branch closed: no radial configuration feeds every bus');
    proofStatus = 'no-valid-configuration';
  } else if (topo.loops === 0) {
    messages.push('no switches: the network has no loop, so the base configuration is the only radial one');
    proofStatus = 'proven';
  } else if (opt.agent === 'local') {
    const r = localSearch(ev, rng, { start: best ?? undefined, timeLimitMs: Math.max(0, deadline - performance.now()), shouldStop: hooks.shouldStop, onImprove: (cl, s) => offer(cl, s, 'local') });
    hooks.journal({ type: 'local', restarts: r.restarts, descents: r.descents, powerFlows: ev.powerFlows });
  } else if (opt.agent === 'exhaustive' || opt.agent === 'exact') {
    // short branch-exchange warm start for a tight incumbent, then branch and bound
    const warm = Math.min(15000, timeMs * 0.25);
    localSearch(ev, rng, { start: best ?? undefined, timeLimitMs: warm, maxRestarts: 30, shouldStop: hooks.shouldStop, onImprove: (cl, s) => offer(cl, s, 'local') });
    const r = exactSearch(ev, {
      incumbent: best ?? undefined,
      timeLimitMs: Math.max(0, deadline - performance.now()),
      shouldStop: hooks.shouldStop,
      onImprove: (cl, s) => offer(cl, s, 'exact'),
    });
    if (r.score) offer(r.closed!, r.score, 'exact');
    const bs = bestS as Score | null;
    lowerBound = r.proven && bs?.feasible ? bs.lossKw : r.rootBoundKw;
    proofStatus = r.proven ? 'proven' : r.finished && !r.boundValid ? 'finished-bound-not-rigorous' : hooks.shouldStop() ? 'cancelled' : 'time-limit';
    if (r.finished && r.boundValid && !(bestS as Score | null)?.feasible) proofStatus = 'proven-infeasible';
    if (r.boundNote) messages.push(`exact bound not rigorous for this case: ${r.boundNote}`);
    hooks.journal({ type: 'exact', nodes: r.nodes, leaves: r.leaves, seconds: r.seconds, proven: r.proven, rootBoundKw: r.rootBoundKw, powerFlows: ev.powerFlows });
    hooks.log(`exact: ${r.nodes} nodes, ${r.leaves} leaves, ${r.seconds.toFixed(2)} s, ${proofStatus}`);
  } else if (opt.agent === 'rl') {
    if (!rl) throw new Error('the learning agent is not available in this build');
    phase = 'training';
    const r = await rl(c, opt, ev, rng, { ...hooks, progress: (d, e, m) => { phase = d.phase; hooks.progress({ ...d, baseLossKw: baseLoss }, e, m); } });
    offer(r.closed, ev.score(r.closed), 'rl');
    // the learning agent answers with its own configuration (not the base's if the base is better)
    best = r.closed.slice();
    bestS = ev.score(best);
    scenarios = r.scenarios;
    backend = r.backend;
    if (r.note) messages.push(r.note);
  }

  // Pareto front: best loss for each number of exchanges from the base configuration
  if (opt.pareto && topo.meshConnected && topo.loops > 0 && baseChk.radial && baseChk.connected && !hooks.shouldStop()) {
    phase = 'pareto';
    report(true, 'Pareto front');
    pareto = paretoFront(ev, base, best, Math.min(opt.paretoTimeLimit ?? Math.min(30, opt.timeLimit), 600) * 1000, hooks.shouldStop);
    hooks.journal({ type: 'pareto', points: pareto });
  }

  const finalBest: Uint8Array = best ?? base;
  const fs = (bestS as Score | null) ?? null;
  let vm: Float64Array | null = null;
  let minVBus: number | null = null;
  if (fs?.solved) {
    const sol = ev.solve(finalBest);
    if (sol.ok) {
      vm = sol.vmPu;
      minVBus = c.buses[sol.minVBus].id;
    }
  }
  if (fs && !fs.feasible && fs.solved)
    messages.push(
      `no configuration found meets the voltage limits (${opt.vMinPu !== undefined ? `Vmin ${opt.vMinPu} p.u.` : 'bus VMIN/VMAX of the case'}); the result is the configuration with the smallest violation (${fs.violationPu.toFixed(4)} p.u.)`,
    );
  if (!fs?.solved && topo.meshConnected) messages.push('no radial configuration with a power-flow solution was found');
  phase = 'done';
  report(true);
  const result: Omit<GridResult, 'exports'> = {
    kind: 'grid',
    case: caseLabel,
    agent: opt.agent,
    seed: opt.seed,
    openBranches: openRows(c, finalBest),
    lossKw: fs?.solved ? fs.lossKw : (null as unknown as number),
    baseLossKw: baseLoss as number,
    minVoltagePu: fs?.solved ? fs.minVPu : (null as unknown as number),
    powerFlows: ev.powerFlows,
    seconds: (performance.now() - t0) / 1000,
    feasible: fs?.feasible ?? false,
    minVoltageBus: minVBus,
    baseOpenBranches: openRows(c, base),
    baseMinVoltagePu: baseMinV,
    switchingOps: switchingOps(finalBest, base),
    proofStatus,
    lowerBoundKw: lowerBound,
    message: messages.length ? messages.join('; ') : null,
    pareto,
  };
  if (scenarios) result.scenarios = scenarios;
  if (backend) result.backend = backend;
  return { result, base, best: finalBest, vmPu: vm };
}

/**
 * Loss against switching operations: for k = 1, 2, ... exchanges (2k operations) the best
 * configuration within k exchanges of the base, by exchange-limited branch and bound.
 */
export function paretoFront(ev: Evaluator, base: Uint8Array, known: Uint8Array | null, budgetMs: number, shouldStop: () => boolean): GridParetoPoint[] {
  const c = ev.c;
  const L = ev.topo.loops;
  const pts: GridParetoPoint[] = [];
  const b = ev.score(base);
  if (b.solved) pts.push({ switchingOps: 0, openBranches: openRows(c, base), lossKw: b.lossKw, minVoltagePu: b.minVPu, proven: true });
  let prev: Uint8Array = base;
  const t0 = performance.now();
  const knownK = known ? exchanges(known, base) : Infinity;
  for (let k = 1; k <= L; k++) {
    const left = budgetMs - (performance.now() - t0);
    if (left <= 0 || shouldStop()) break;
    const share = left / (L - k + 1);
    // incumbents: the known best when it is within k exchanges, else the best single exchange
    // from the previous point (greedy path from the base configuration)
    let inc: Uint8Array = known && knownK <= k ? known : bestExchange(ev, prev);
    if (known && knownK <= k && better(ev.score(bestExchange(ev, prev)), ev.score(known))) inc = bestExchange(ev, prev);
    const r = exactSearch(ev, { base, maxExchanges: k, incumbent: inc, timeLimitMs: share, shouldStop });
    if (!r.closed || !r.score?.solved) continue;
    prev = r.closed;
    const last = pts[pts.length - 1];
    if (last && r.score.lossKw >= last.lossKw - 1e-6) {
      if (r.proven && last) last.proven = last.proven && true;
      continue;
    }
    pts.push({ switchingOps: switchingOps(r.closed, base), openBranches: openRows(c, r.closed), lossKw: r.score.lossKw, minVoltagePu: r.score.minVPu, proven: r.proven });
  }
  return pts;
}

/** The best configuration one branch exchange away from `cur` (or `cur` when none is better). */
export function bestExchange(ev: Evaluator, cur: Uint8Array): Uint8Array {
  const topo = ev.topo;
  let best = cur;
  let bestS = ev.score(cur);
  const cand = new Uint8Array(cur.length);
  for (let e = 0; e < cur.length; e++) {
    if (cur[e] || topo.selfLoop[e]) continue;
    for (const f of topo.treePath(cur, topo.eu[e], topo.ev[e])) {
      cand.set(cur);
      cand[e] = 1;
      cand[f] = 0;
      const s = ev.score(cand);
      if (better(s, bestS)) {
        bestS = s;
        best = cand.slice();
      }
    }
  }
  return best;
}
