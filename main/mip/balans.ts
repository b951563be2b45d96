/**
 * Balans: bandit-driven adaptive large-neighbourhood search for MIPs (Cai, Kadioglu, Dilkina 2024),
 * over HiGHS. Read this file top to bottom like the paper's algorithm box:
 *
 *   1. Initial solution: HiGHS on the whole model, first (default `initialSolution: 'improving'`): it
 *      goes on past its root node while it still finds better solutions, and stops once none came
 *      for `initialStallSeconds` (or at the first-solution limit); every incumbent it finds is credited
 *      at the time HiGHS found it, as in a plain HiGHS run. Other choices: stop when the root node is
 *      done ('root'), or at the first feasible solution ('first', Balans: solution_count = 1);
 *      fallback: HiGHS again for the rest of the time, stopping once it has a solution and stalls.
 *   2. LP relaxation (the reference point of RINS, RENS, DINS; a bound): solved lazily, when an arm
 *      that needs it is first chosen (`lazyLp`); without it those arms leave the selection.
 *   3. Until the time is up: the bandit picks an arm (destroy operator at a rate; every arm once
 *      first), the operator builds a neighbourhood of the current solution, HiGHS repairs it as a
 *      sub-MIP within the per-iteration limit (warm-started with the current solution; it stops early
 *      once it improved on the current solution and then stalled), the independent checker verifies
 *      the candidate, the acceptance criterion decides, the outcome (best / better / accepted /
 *      rejected) is the arm's reward.
 *
 * Defaults are those of skadio/balans (`Balans()` with no arguments, balans/utils.py Constants): arms
 * crossover, mutation_50, rins_40, rens_40, rens_50, proximity_005, local_branching_10/20/30/50;
 * softmax bandit with tau = 1.359686 and scores 8/4/2/1; hill climbing. Balans' time limits (20 s for
 * the first solution, 60 s per iteration, 150 s for local branching, 20 s for crossover's random
 * solution) are meant for 300 s+ runs; here they scale with the budget (see `effectiveLimits`), which
 * is what lets a 10-60 s desktop run do tens of iterations.
 *
 * Deviations from the Balans repository defaults (each one a config switch; docs/mip.md):
 * - Order and start: Balans solves the LP relaxation, then takes HiGHS's (there: SCIP's) first
 *   solution. Here the HiGHS start comes first, runs on while it is improving (`initialSolution:
 *   'improving'`, stall time max(0.5, min(5, T/20)) s), and its incumbents count at their own times;
 *   the LP relaxation is solved only when RINS/RENS/DINS is first chosen (`lazyLp: false` solves it
 *   before the start, as Balans). On small instances HiGHS finds the optimum within a second or two,
 *   and the old order (LP, then the start, credited only when it ended) lost that time.
 * - Bandit: every arm is pulled once, in random order, before the bandit's own rule applies
 *   (`tryEachArmFirst`; UCB1 always did). With every mean starting at 0, softmax otherwise locks onto
 *   the first arm that earns any reward.
 * - Sub-MIPs of the original objective stop once they improved on the current solution and found
 *   nothing better for `subStallSeconds` (default: the initial stall time; 0 = off, Balans' behaviour).
 * - Sub-MIP incumbents found before the sub-MIP ended are credited at their own times in the trace
 *   (only for neighbourhoods that keep the original objective; they are feasible for the whole model).
 * - A sub-MIP that finds no solution is scored "rejected" (Balans leaves the state unchanged, which
 *   hill climbing scores "accepted"), so arms that only time out stop being rewarded.
 * - HiGHS's own first solution is often trivial (all zeros) on packing problems; 'root' and
 *   'improving' start from a better one, which short runs need.
 */
import { Rng } from '../../simulators/rng.ts';
import { Bandit } from '../../simulators/mip/bandits.ts';
import { checkSolution, type CheckResult } from '../../simulators/mip/check.ts';
import type { SolveReply } from '../../simulators/mip/highs.ts';
import { type MipModel, numCols } from '../../simulators/mip/model.ts';
import {
  BALANS_DEFAULT_ARMS,
  type ArmSpec,
  columnClasses,
  destroy,
  inapplicable,
  parseArm,
} from '../../simulators/mip/operators.ts';
import type { MipAcceptance, MipArmStats, MipBandit, MipMethod, MipOutcome, MipProgress } from '../../contract/mip.ts';
import type { SubSolver } from './solver.ts';

export interface BalansConfig {
  /** Arms: a family with an optional rate (`mutation_25`, `proximity_005`, `dins`, ...). */
  operators: string[];
  bandit: MipBandit;
  /** Rewards for the four outcomes (Balans default [8, 4, 2, 1]). */
  scores: { best: number; better: number; accepted: number; rejected: number };
  /** Epsilon-greedy exploration rate (MABWiser default). */
  epsilon: number;
  /** UCB1 exploration weight (MABWiser default). */
  alpha: number;
  /** Softmax temperature (Balans default). */
  tau: number;
  accept: MipAcceptance;
  /** Simulated annealing: start and end temperature, step, and schedule (ALNS's parameters; Balans README uses 20, 1, 0.1). */
  saStart: number;
  saEnd: number;
  saStep: number;
  saMethod: 'linear' | 'exponential';
  /** Seconds per sub-MIP; null = min(60, max(1, timeLimit / 10)). Balans: 60. */
  iterationTimeLimit: number | null;
  /** Seconds for the first solution; null = min(20, max(1, timeLimit / 4)). Balans: 20. */
  firstSolutionTimeLimit: number | null;
  /**
   * Which HiGHS solution starts the search: "first" = its first feasible solution (Balans:
   * solution_count = 1); "root" = its incumbent when the root node is done (root heuristics run),
   * or the first one found after that; "improving" = HiGHS goes on past its root node while it still
   * finds better solutions, and stops when none came for `initialStallSeconds` (or at
   * `initialTimeLimit`); while it has no solution at all it keeps the whole time limit.
   */
  initialSolution: 'first' | 'root' | 'improving';
  /** "improving": seconds without a new incumbent that end the initial solve; null = max(0.5, min(5, timeLimit / 20)). */
  initialStallSeconds: number | null;
  /**
   * "improving": longest initial solve in seconds; null = the first-solution limit (HiGHS does not
   * always stop at once: on mis_2 a 7.5 s limit ended after 11.5 s inside its root heuristics).
   */
  initialTimeLimit: number | null;
  /** Seconds for the LP relaxation; null = min(30, max(1, timeLimit / 10)). */
  lpTimeLimit: number | null;
  /**
   * true: the LP relaxation is solved only when an arm that needs it (RINS, RENS, DINS) is first
   * chosen; false: before the initial solve, as Balans does.
   */
  lazyLp: boolean;
  /** Every bandit pulls each arm once (random order) before its own rule applies. */
  tryEachArmFirst: boolean;
  /**
   * A sub-MIP (of the original objective) that has improved on the current solution stops once it
   * found nothing better for this many seconds; null = the initial stall limit; 0 = off (Balans:
   * every sub-MIP runs to its time limit or optimality).
   */
  subStallSeconds: number | null;
  /** Reference objective (optimum or best known) for the primal integral; null = not computed. */
  reference: number | null;
  /** Stop after this many LNS iterations (null = only the time limit); makes short runs reproducible. */
  maxIterations: number | null;
  /** Stop as soon as the incumbent reaches this objective (model sense); null = never. */
  target: number | null;
}

export const BALANS_DEFAULTS: BalansConfig = {
  operators: [...BALANS_DEFAULT_ARMS],
  bandit: 'softmax',
  scores: { best: 8, better: 4, accepted: 2, rejected: 1 },
  epsilon: 0.05,
  alpha: 1,
  tau: 1.359686,
  accept: 'hill-climbing',
  saStart: 20,
  saEnd: 1,
  saStep: 0.1,
  saMethod: 'linear',
  iterationTimeLimit: null,
  firstSolutionTimeLimit: null,
  lpTimeLimit: null,
  initialSolution: 'improving',
  initialStallSeconds: null,
  initialTimeLimit: null,
  lazyLp: true,
  tryEachArmFirst: true,
  subStallSeconds: null,
  reference: null,
  maxIterations: null,
  target: null,
};

export function effectiveLimits(
  c: BalansConfig,
  timeLimit: number,
): { iteration: number; first: number; lp: number; initialStall: number; initial: number } {
  const first = c.firstSolutionTimeLimit ?? Math.min(20, Math.max(1, timeLimit / 4));
  return {
    iteration: c.iterationTimeLimit ?? Math.min(60, Math.max(1, timeLimit / 10)),
    first,
    lp: c.lpTimeLimit ?? Math.min(30, Math.max(1, timeLimit / 10)),
    initialStall: c.initialStallSeconds ?? Math.max(0.5, Math.min(5, timeLimit / 20)),
    initial: c.initialTimeLimit ?? first,
  };
}

const needsLp = (a: ArmSpec) => a.family === 'rins' || a.family === 'rens' || a.family === 'dins';

export interface IterationRecord {
  iteration: number;
  t: number;
  arm: string;
  outcome: MipOutcome;
  status: string;
  candidate: number | null;
  current: number | null;
  best: number | null;
  subSeconds: number;
  freeDiscrete: number;
}

export interface SolveRun {
  model: MipModel;
  method: MipMethod;
  /** Seconds of wall clock for the whole run. */
  timeLimit: number;
  seed: number;
  config?: Partial<BalansConfig>;
  solver: SubSolver;
  signal?: AbortSignal;
  onProgress?: (p: MipProgress) => void;
  onIteration?: (r: IterationRecord) => void;
  /** Each new best solution, after the checker accepted it. */
  onIncumbentChecked?: (x: Float64Array, objective: number) => void;
  /** A known feasible solution to start from (resume); used instead of the initial HiGHS solve. */
  initial?: Float64Array;
  log?: (message: string) => void;
}

export interface SolveOutcome {
  status: string;
  objective: number | null;
  x: Float64Array | null;
  bound: number | null;
  trace: [number, number][];
  arms: Record<string, MipArmStats>;
  iterations: number;
  notes: string[];
  seconds: number;
  check: CheckResult | null;
  config: BalansConfig;
  primalIntegral: number | null;
}

/** Primal gap in [0, 1] (Berthold): |z - ref| / max(|z|, |ref|), 1 without a solution or on opposite signs. */
export function primalGap(z: number | null, ref: number): number {
  if (z === null) return 1;
  if (Math.abs(z - ref) < 1e-9) return 0;
  if (z * ref < 0) return 1;
  return Math.abs(z - ref) / Math.max(Math.abs(z), Math.abs(ref));
}

/** Area under the primal-gap step function over [0, horizon] seconds (lower is better). */
export function primalIntegral(trace: readonly [number, number][], ref: number, horizon: number): number {
  let area = 0;
  let t = 0;
  let gap = 1;
  for (const [ti, z] of trace) {
    const tt = Math.min(ti, horizon);
    area += gap * (tt - t);
    t = tt;
    gap = primalGap(z, ref);
  }
  return area + gap * Math.max(0, horizon - t);
}

/** Runs plain HiGHS or Balans on a model and returns the best checked solution. */
export async function solveMip(run: SolveRun): Promise<SolveOutcome> {
  const config: BalansConfig = { ...BALANS_DEFAULTS, ...run.config, scores: { ...BALANS_DEFAULTS.scores, ...run.config?.scores } };
  const m = run.model;
  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  const remaining = () => run.timeLimit - now();
  const stopped = () => run.signal?.aborted === true || remaining() <= 0.02;
  const sign = m.sense === 'max' ? -1 : 1; // internal objective: lower is better
  const log = run.log ?? (() => {});
  const notes: string[] = [];
  const trace: [number, number][] = [];
  const armStats: Record<string, MipArmStats> = {};
  let best: { x: Float64Array; z: number } | null = null;
  let bound: number | null = null;
  let iterations = 0;
  let lastArm: string | null = null;
  let lastOutcome: MipOutcome | null = null;
  let currentZ: number | null = null;

  const progress = () =>
    run.onProgress?.({
      method: run.method,
      sense: m.sense,
      incumbent: best?.z ?? null,
      bound,
      gap: best && bound !== null ? Math.abs(best.z - bound) / Math.max(1, Math.abs(best.z)) : null,
      trace: trace.slice(),
      arms: structuredClone(armStats),
      lastArm,
      lastOutcome,
      iterations,
      current: currentZ,
      seconds: now(),
      timeLimit: run.timeLimit,
    });

  /** Verifies x on the original model; keeps it if it is the new best. Returns the checked objective. */
  const offer = (x: Float64Array | null, source: string, recordTrace = true): { z: number; check: CheckResult } | null => {
    if (!x) return null;
    const check = checkSolution(m, x);
    if (!check.feasible) {
      log(`${source}: solution rejected by the checker (${check.messages.slice(0, 2).join('; ')})`);
      return null;
    }
    if (!best || sign * check.objective < sign * best.z - 1e-9 * Math.max(1, Math.abs(best.z))) {
      best = { x: Float64Array.from(x), z: check.objective };
      if (recordTrace) trace.push([now(), check.objective]);
      run.onIncumbentChecked?.(best.x, best.z);
    }
    return { z: check.objective, check };
  };

  /**
   * Offers the solution of a HiGHS solve and, when it is the new best, credits the incumbents HiGHS
   * reported during that solve at the times it found them (`base` + its own clock), as the plain
   * HiGHS run does. Only solves of the original objective are replayed (a sub-MIP's solutions are
   * feasible for the whole model, since a neighbourhood only adds bounds and rows); the replayed
   * values lie between the previous best and the checked final value.
   */
  const offerSolve = (reply: SolveReply, base: number, source: string, originalObjective: boolean): { z: number; check: CheckResult } | null => {
    const prev = (best as { z: number } | null)?.z ?? null;
    const got = offer(reply.x, source, false);
    const now_ = (best as { z: number } | null)?.z ?? null;
    if (!got || now_ === null || now_ === prev) return got;
    const tol = (z: number) => 1e-9 * Math.max(1, Math.abs(z));
    let last = prev;
    if (originalObjective) {
      for (const [t, z] of reply.trace) {
        if (sign * z < sign * got.z - 1e-6 * Math.max(1, Math.abs(got.z))) continue; // better than the checked value: not credited
        if (last !== null && !(sign * z < sign * last - tol(last))) continue;
        trace.push([Math.min(base + t, now()), z]);
        last = z;
      }
    }
    if (last === null || sign * got.z < sign * last - 1e-6 * Math.max(1, Math.abs(last))) trace.push([now(), got.z]);
    return got;
  };

  const finish = (status: string): SolveOutcome => {
    const b = best as { x: Float64Array; z: number } | null;
    const check = b ? checkSolution(m, b.x) : null;
    let st = status;
    // A feasible run whose incumbent meets the proven bound is optimal (HiGHS's own "optimal" is kept).
    if (b && st === 'feasible' && bound !== null && Math.abs(b.z - bound) <= 1e-6 * Math.max(1, Math.abs(b.z))) st = 'optimal';
    const seconds = now();
    progress();
    return {
      status: st,
      objective: b?.z ?? null,
      x: b?.x ?? null,
      bound,
      trace,
      arms: armStats,
      iterations,
      notes,
      seconds,
      check,
      config,
      primalIntegral: config.reference !== null ? primalIntegral(trace, config.reference, run.timeLimit) : null,
    };
  };

  if (run.timeLimit <= 0) {
    notes.push('time limit 0: nothing was solved');
    return finish('time-limit');
  }

  const onIncumbent = (base: number) => (t: number, z: number) => {
    // Live progress from inside a long HiGHS solve (the checked solution arrives with the reply).
    if (!best || sign * z < sign * best.z) {
      trace.push([base + t, z]);
      const savedBest = best;
      best = { x: savedBest?.x ?? new Float64Array(numCols(m)), z };
      progress();
      best = savedBest;
      trace.pop();
    }
  };

  const rootRng = new Rng(run.seed);
  if (run.initial) offer(run.initial, 'initial solution given');

  // ---- plain HiGHS --------------------------------------------------------------------------------
  if (run.method === 'highs') {
    const base = now();
    const r = await run.solver.solve({ timeLimit: remaining(), seed: run.seed, start: (best as { x: Float64Array } | null)?.x }, { signal: run.signal, onIncumbent: onIncumbent(base) });
    if (r.bound !== null) bound = r.bound;
    // Replay HiGHS's own incumbent trace (times from the solve) so the result keeps the whole history.
    for (const [t, z] of r.trace) {
      if (!trace.length || sign * z < sign * trace[trace.length - 1][1] - 1e-6 * Math.max(1, Math.abs(z))) trace.push([base + t, z]);
    }
    const got = offer(r.x, 'HiGHS', false);
    if (got && !trace.length) trace.push([now(), got.z]);
    else if (got && trace.length && Math.abs(trace[trace.length - 1][1] - got.z) > 1e-6 * Math.max(1, Math.abs(got.z))) trace.push([now(), got.z]);
    return finish(best ? (r.status === 'optimal' ? 'optimal' : 'feasible') : statusWithoutSolution(r));
  }

  // ---- Balans ---------------------------------------------------------------------------------------
  const limits = effectiveLimits(config, run.timeLimit);
  const classes = columnClasses(m);
  let arms: ArmSpec[] = config.operators.map(parseArm);

  // The LP relaxation (bound; reference point of RINS, RENS, DINS). Balans solves it first; here it is
  // solved only when an arm that needs it is first chosen (`lazyLp`), so that a run whose HiGHS start
  // is already good does not wait for it.
  let lp: Float64Array | null = null;
  let lpTried = false;
  const solveLp = async (): Promise<SolveReply> => {
    lpTried = true;
    const started = now();
    const r = await run.solver.solve({ timeLimit: Math.min(limits.lp, remaining()), relax: true, seed: run.seed }, { signal: run.signal });
    if (r.status === 'optimal' && r.x) {
      lp = r.x;
      if (r.objective !== null && (bound === null || sign * r.objective > sign * bound)) bound = r.objective;
      log(`LP relaxation ${r.objective} in ${(now() - started).toFixed(2)} s`);
    } else notes.push(`LP relaxation: ${r.status}`);
    return r;
  };
  if (!config.lazyLp && classes.discrete.length > 0) {
    const r = await solveLp();
    if (r.status === 'infeasible') {
      notes.push('the LP relaxation is infeasible, so is the MIP');
      return finish('infeasible');
    }
  }

  // Arms that do not apply are left out, with a note (Balans drops the same ones).
  arms = arms.filter((a) => {
    const why = inapplicable(a, classes, config.lazyLp ? true : lp !== null);
    if (why) notes.push(`${a.name} left out: ${why}`);
    return !why;
  });
  const highsForTheRest = async (): Promise<SolveOutcome> => {
    const base = now();
    const cur = (best as { x: Float64Array } | null)?.x;
    const r = await run.solver.solve({ timeLimit: remaining(), seed: run.seed, start: cur }, { signal: run.signal, onIncumbent: onIncumbent(base) });
    if (r.bound !== null && (bound === null || sign * r.bound > sign * bound)) bound = r.bound;
    offerSolve(r, base, 'HiGHS', true);
    return finish(best ? (r.status === 'optimal' ? 'optimal' : 'feasible') : statusWithoutSolution(r));
  };
  if (arms.length === 0) {
    notes.push(classes.discrete.length === 0 ? 'no integer columns: solved by HiGHS directly' : 'no operator applies: solved by HiGHS directly');
    return highsForTheRest();
  }
  for (const a of arms) armStats[a.name] = { pulls: 0, meanReward: 0, best: 0, better: 0, accepted: 0, rejected: 0, failed: 0, seconds: 0 };

  // 2. Initial solution (HiGHS on the whole model; its incumbents count at the times it found them).
  if (!best) {
    const base = now();
    const req =
      config.initialSolution === 'first'
        ? { timeLimit: Math.min(limits.first, remaining()), seed: run.seed, maxImprovingSolutions: 1 }
        : config.initialSolution === 'root'
          ? { timeLimit: Math.min(limits.first, remaining()), seed: run.seed, stopAfterRoot: true }
          : {
              // Without a solution HiGHS keeps the whole remaining time (LNS needs an incumbent, and a
              // restart would throw its search tree away: csched008 at 60 s found none in a capped
              // first solve and none in the restart, where HiGHS alone found one); with one, the
              // solve ends when stalled or at `initialTimeLimit`.
              timeLimit: remaining(),
              seed: run.seed,
              stopWhenStalled: { afterSeconds: limits.first, stallSeconds: limits.initialStall, capWithSolution: limits.initial },
            };
    const r = await run.solver.solve(req, { signal: run.signal, onIncumbent: onIncumbent(base) });
    if (r.bound !== null && (bound === null || sign * r.bound > sign * bound)) bound = r.bound;
    offerSolve(r, base, 'initial solve', true);
    if (!best) {
      if (r.status === 'infeasible' || r.status === 'unbounded' || r.status === 'unbounded-or-infeasible') return finish(r.status);
      notes.push(`no solution within ${req.timeLimit.toFixed(1)} s: HiGHS continues without the solution limit (fallback)`);
      const base2 = now();
      // The rest of the time, stopping once a solution exists and HiGHS stalls (LNS takes over then).
      const r2 = await run.solver.solve(
        { timeLimit: Math.max(0.05, remaining()), seed: run.seed + 1, stopWhenStalled: { afterSeconds: 0, stallSeconds: limits.initialStall } },
        { signal: run.signal, onIncumbent: onIncumbent(base2) },
      );
      offerSolve(r2, base2, 'fallback solve', true);
      if (!best) return finish(statusWithoutSolution(r2));
    }
    if (r.status === 'optimal') {
      notes.push('the initial HiGHS solve proved optimality');
      return finish('optimal');
    }
  }
  const b0 = best as unknown as { x: Float64Array; z: number };
  let current = { x: b0.x, z: b0.z };
  currentZ = current.z;
  const elite: { x: Float64Array; z: number }[] = [{ x: b0.x, z: b0.z }];
  log(`initial objective ${b0.z} at ${now().toFixed(2)} s; ${arms.length} arms`);
  progress();

  // 3. The LNS loop.
  const bandit = new Bandit(config.bandit, arms.length, {
    epsilon: config.epsilon,
    alpha: config.alpha,
    tau: config.tau,
    maxReward: Math.max(config.scores.best, config.scores.better, config.scores.accepted, config.scores.rejected),
    tryEachFirst: config.tryEachArmFirst,
  });
  if (!config.lazyLp && lp === null) for (const [i, a] of arms.entries()) if (needsLp(a)) bandit.disable(i);
  const banditRng = rootRng.fork();
  const opRng = rootRng.fork();
  const seedRng = rootRng.fork();
  const acceptRng = rootRng.fork();
  let temperature = config.saStart;
  const subStall = config.subStallSeconds ?? limits.initialStall;

  while (!stopped() && (config.maxIterations === null || iterations < config.maxIterations)) {
    const k = bandit.select(banditRng);
    const arm = arms[k];
    if (needsLp(arm) && lp === null) {
      if (!lpTried) await solveLp();
      if (lp === null) {
        // No LP relaxation (time limit, numerical trouble): the arms that need it leave the selection.
        const lpArms = arms.map((a, i) => (needsLp(a) ? i : -1)).filter((i) => i >= 0);
        for (const a of lpArms) notes.push(`${arms[a].name} left out: no LP relaxation solution is available`);
        if (bandit.activeArms.every((i) => needsLp(arms[i]))) {
          notes.push('no operator applies without the LP relaxation: HiGHS continues on the whole model');
          return highsForTheRest();
        }
        for (const i of lpArms) if (bandit.activeArms.includes(i)) bandit.disable(i);
        continue;
      }
      if (stopped()) break;
      const bz = (best as { z: number } | null)?.z;
      if (bz !== undefined && bound !== null && Math.abs(bz - bound) <= 1e-6 * Math.max(1, Math.abs(bz))) break;
    }
    let partner: Float64Array | null = null;
    if (arm.family === 'crossover') {
      const others = elite.filter((e) => classes.discrete.some((j) => Math.round(e.x[j]) !== Math.round(current.x[j])));
      if (others.length) partner = others[opRng.int(others.length)].x;
      else {
        // Balans finds a random feasible solution for crossover; here: HiGHS with a random objective,
        // stopped at its first solution.
        const cost = new Float64Array(numCols(m));
        for (let j = 0; j < cost.length; j++) cost[j] = opRng.uniform(-1, 1);
        const rr = await run.solver.solve(
          { timeLimit: Math.min(limits.iteration, remaining()), seed: seedRng.int(2 ** 31), cost, sense: 'min', maxImprovingSolutions: 1 },
          { signal: run.signal },
        );
        const got = offer(rr.x, 'crossover partner');
        if (got && rr.x) {
          partner = rr.x;
          addElite(elite, { x: rr.x, z: got.z }, sign);
        }
      }
      if (stopped()) break;
    }
    const nb = destroy(arm, { model: m, current: current.x, currentObjective: current.z, lp, partner, ...classes }, opRng);
    const started = now();
    const reply: SolveReply = await run.solver.solve(
      {
        timeLimit: Math.max(0.05, Math.min(limits.iteration * nb.timeFactor, remaining())),
        seed: seedRng.int(2 ** 31),
        bounds: nb.bounds,
        rows: nb.rows,
        cost: nb.cost,
        sense: nb.sense,
        start: current.x,
        ...(subStall > 0 && nb.cost === undefined && nb.sense === undefined
          ? { stopWhenStalled: { afterSeconds: 0, stallSeconds: subStall, improveOn: current.z } }
          : {}),
      },
      { signal: run.signal },
    );
    const subSeconds = now() - started;
    const before = (best as { z: number } | null)?.z ?? null;
    const got = offerSolve(reply, started, arm.name, nb.cost === undefined && nb.sense === undefined);
    let outcome: MipOutcome;
    const stats = armStats[arm.name];
    if (!got) {
      outcome = 'rejected';
      stats.failed++;
    } else {
      addElite(elite, { x: reply.x!, z: got.z }, sign);
      const cand = sign * got.z;
      const cur = sign * current.z;
      const tol = 1e-9 * Math.max(1, Math.abs(cur));
      const accepted =
        config.accept === 'hill-climbing'
          ? cand <= cur + tol
          : cand <= cur + tol || acceptRng.next() < Math.exp(-(cand - cur) / Math.max(temperature, 1e-12));
      if (before !== null && cand < sign * before - tol) outcome = 'best';
      else if (cand < cur - tol) outcome = 'better';
      else outcome = accepted ? 'accepted' : 'rejected';
      if (accepted) current = { x: Float64Array.from(reply.x!), z: got.z };
    }
    if (config.accept === 'simulated-annealing') {
      temperature = config.saMethod === 'linear' ? Math.max(config.saEnd, temperature - config.saStep) : Math.max(config.saEnd, temperature * config.saStep);
    }
    const reward = config.scores[outcome];
    bandit.update(k, reward);
    stats.pulls = bandit.pulls[k];
    stats.meanReward = bandit.meanReward[k];
    stats[outcome]++;
    stats.seconds += subSeconds;
    iterations++;
    lastArm = arm.name;
    lastOutcome = outcome;
    currentZ = current.z;
    run.onIteration?.({
      iteration: iterations,
      t: now(),
      arm: arm.name,
      outcome,
      status: reply.status,
      candidate: got?.z ?? null,
      current: current.z,
      best: (best as { z: number } | null)?.z ?? null,
      subSeconds,
      freeDiscrete: nb.freeDiscrete,
    });
    progress();
    // Proven optimal against the LP bound, or the target reached: nothing left to find.
    const bz = (best as { z: number } | null)?.z;
    if (bz !== undefined && bound !== null && Math.abs(bz - bound) <= 1e-6 * Math.max(1, Math.abs(bz))) break;
    if (bz !== undefined && config.target !== null && sign * bz <= sign * config.target + 1e-6 * Math.max(1, Math.abs(config.target))) {
      notes.push(`target ${config.target} reached`);
      break;
    }
  }
  return finish('feasible');
}

function addElite(elite: { x: Float64Array; z: number }[], s: { x: Float64Array; z: number }, sign: number): void {
  for (const e of elite) {
    if (e.z === s.z && e.x.every((v, j) => Math.abs(v - s.x[j]) < 1e-9)) return;
  }
  elite.push({ x: Float64Array.from(s.x), z: s.z });
  elite.sort((a, b) => sign * a.z - sign * b.z);
  if (elite.length > 10) elite.length = 10;
}

function statusWithoutSolution(r: SolveReply): string {
  if (r.status === 'infeasible' || r.status === 'unbounded' || r.status === 'unbounded-or-infeasible' || r.status === 'error') return r.status;
  if (r.status === 'interrupted') return 'no-solution';
  return 'no-solution';
}
