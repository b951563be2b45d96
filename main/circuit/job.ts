/**
 * The circuit-sizing job: parse the problem, start the ngspice pool, simulate the reference design
 * (for the report and the reward's normalisers; not counted, not shown to the agent), run the agent
 * for `budget` simulations, journal every evaluation, report progress, export, return the result of
 * CONTRACTS.md.
 *
 * Resume: an interrupted run of the same job (same options) replays its journal: the agent is
 * re-created with the same seed and asked again; every proposal that matches the journaled design
 * of that simulation index takes the journaled result instead of a new simulation, so the agent's
 * state is rebuilt exactly and the run carries on where it stopped.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { JobModule } from '../jobs/types.ts';
import { parseAnyProblem } from '../../simulators/circuit/problem.ts';
import { CircuitEvaluator } from './evaluator.ts';
import { AGENTS, createAgent } from './agents/index.ts';
import { runOptimisation, type EvaluationRecord } from './agents/driver.ts';
import { referenceParams, rewardSpecOf, sizingVariables, withReferenceConstraints } from './agents/task.ts';
import { scoreDesign } from './reward.ts';
import { dominates } from './pareto.ts';
import { writeCircuitExports } from './exports.ts';
import { backendReport } from '../learning/backend.ts';
import type { EvalOutcome } from './agents/types.ts';
import type { CircuitDesign, CircuitEvaluationPoint, CircuitProgress, CircuitResult } from '../../contract/circuit.ts';

export const CircuitOptions = z.object({
  /** Absolute path of the problem file (YAML/JSON problem or annotated netlist). */
  file: z.string().min(1),
  agent: z.enum(AGENTS).default('ddpg'),
  /** Simulations. */
  budget: z.number().int().min(1).max(1_000_000).default(1000),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** ngspice worker threads; default: the machine's cores. */
  workers: z.number().int().min(1).max(256).optional(),
  /** Per-simulation time limit in ms (a hung engine is replaced). */
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  exportDir: z.string().optional(),
  /**
   * Ask for a design that beats the reference on every target: the reference's simulated target
   * values become extra hard constraints (e.g. power <= the human's and area <= the human's), so
   * "feasible" means "dominates the reference".
   */
  beatReference: z.boolean().default(false),
});
export type CircuitOptions = z.infer<typeof CircuitOptions>;

function sameParams(a: Record<string, unknown>, b: Record<string, number>): boolean {
  return Object.entries(b).every(([k, v]) => {
    const x = a[k];
    return typeof x === 'number' && Math.abs(x - v) <= 1e-12 * Math.max(Math.abs(v), 1e-30);
  });
}

const job: JobModule<CircuitOptions, CircuitResult> = {
  kind: 'circuit',
  optionsSchema: CircuitOptions as unknown as z.ZodType<CircuitOptions>,
  async run(ctx) {
    const t0 = Date.now();
    const o = ctx.options;
    const file = resolve(o.file);
    const dir = dirname(file);
    const problem = parseAnyProblem(readFileSync(file, 'utf8'), basename(file), (rel) => readFileSync(resolve(dir, rel), 'utf8'));
    const workers = o.workers ?? availableParallelism();
    ctx.log(`problem ${problem.name}: ${problem.variables.length} variables, ${problem.constraints.length} constraints, ${problem.targets.length} targets; agent ${o.agent}, budget ${o.budget}, seed ${o.seed}, ${workers} workers`);

    const previous = ctx.journal.previous;
    const prevStart = previous.find((r) => r.type === 'start');
    const resumable = prevStart !== undefined && prevStart.agent === o.agent && prevStart.seed === o.seed;
    const prevEvals = new Map<number, Record<string, unknown>>();
    if (resumable) for (const r of previous) if (r.type === 'evaluation' && typeof r.evaluation === 'number') prevEvals.set(r.evaluation, r);
    if (!resumable) ctx.journal.append({ type: 'start', agent: o.agent, seed: o.seed, budget: o.budget, problem: problem.name, file });
    else ctx.log(`resuming: ${prevEvals.size} journaled evaluations`);

    const evalOpts = { workers, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) };
    let evaluator = await CircuitEvaluator.create(problem, evalOpts);
    // Safety net: a long streak of failed simulations (a pool whose engines keep failing) restarts
    // the pool, at most a few times per run; the failed simulations still count.
    let streak = 0;
    let poolRestarts = 0;
    const evaluate = async (batch: Record<string, number>[], signal?: AbortSignal): Promise<EvalOutcome[]> => {
      const out = await evaluator.evaluate(batch, signal);
      for (const r of out) streak = r.ok ? 0 : streak + 1;
      if (streak >= Math.max(16, 4 * workers) && poolRestarts < 5 && !signal?.aborted) {
        const last = out.find((r) => !r.ok)?.error ?? 'unknown error';
        ctx.log(`${streak} simulations failed in a row (last: ${last}); restarting the engine pool`, 'warn');
        await evaluator.close();
        evaluator = await CircuitEvaluator.create(problem, evalOpts);
        streak = 0;
        poolRestarts++;
      }
      return out;
    };
    let agent: Awaited<ReturnType<typeof createAgent>> | null = null;
    try {
      // The reference design (or, without one, the netlist's own values) gives the targets' refs.
      const refParams = referenceParams(problem);
      const baseParams = refParams ?? Object.fromEntries(problem.variables.map((v) => [v.name, v.init ?? (v.scale === 'log' ? Math.sqrt(v.lo * v.hi) : (v.lo + v.hi) / 2)]));
      const prevRef = resumable ? previous.find((r) => r.type === 'reference') : undefined;
      let refOutcome: EvalOutcome;
      if (prevRef && sameParams(prevRef.params as Record<string, unknown>, baseParams)) {
        refOutcome = { ok: prevRef.ok === true, metrics: prevRef.metrics as Record<string, number> };
      } else {
        [refOutcome] = await evaluate([baseParams], ctx.signal);
        ctx.journal.append({ type: 'reference', params: baseParams, ok: refOutcome.ok, metrics: refOutcome.metrics, ...(refOutcome.error ? { error: refOutcome.error } : {}) });
      }
      const { spec: baseSpec, refSources } = rewardSpecOf(problem, refOutcome.ok ? refOutcome.metrics : null, refParams !== null);
      let spec = baseSpec;
      if (o.beatReference) {
        if (!refParams || !refOutcome.ok) throw new Error(`${problem.name}: --beat-reference needs a reference design that simulates`);
        spec = withReferenceConstraints(baseSpec, refOutcome.metrics);
        const extra = spec.constraints.slice(baseSpec.constraints.length);
        ctx.log(`beat the reference: ${extra.map((c) => `${c.metric} ${c.op} ${c.value.toPrecision(5)}`).join(', ')} added as hard constraints`);
      }
      ctx.log(`target refs: ${spec.targets.map((t) => `${t.metric} ${t.ref.toPrecision(5)} (${refSources[t.metric]})`).join(', ')}`);
      const refScored = scoreDesign(spec, refOutcome.ok ? refOutcome.metrics : null);
      const reference: (CircuitDesign & { feasible: boolean }) | null = refParams ? { params: refParams, metrics: refOutcome.metrics, feasible: refScored.feasible } : null;
      if (reference) ctx.log(`reference design simulated: ${refScored.feasible ? 'feasible' : 'infeasible'}, ${Object.entries(reference.metrics).map(([k, v]) => `${k}=${v.toPrecision(5)}`).join(' ')}`);

      agent = await createAgent(o.agent, { dims: problem.variables.length, budget: o.budget, seed: o.seed });
      const backend = agent.backend;
      if (backend !== 'none') ctx.log(`TensorFlow.js backend: ${backendReport()?.summary ?? backend}`);
      const records: EvaluationRecord[] = [];
      let lastStats: Record<string, number> = {};
      const st = await runOptimisation(
        { name: problem.name, variables: sizingVariables(problem), reward: spec, evaluate },
        agent,
        {
          budget: o.budget,
          batchSize: workers,
          signal: ctx.signal,
          cached: (evaluation, params) => {
            const r = prevEvals.get(evaluation);
            if (!r || !sameParams(r.params as Record<string, unknown>, params)) return undefined;
            return { ok: r.ok === true, metrics: (r.metrics ?? {}) as Record<string, number>, ...(typeof r.error === 'string' ? { error: r.error } : {}) };
          },
          onBatch: (recs, s) => {
            for (const r of recs) {
              records.push(r);
              if (!r.reused) ctx.journal.append({ type: 'evaluation', ...r });
            }
            lastStats = agent?.stats() ?? {};
            const points: CircuitEvaluationPoint[] = recs.map((r) => ({
              evaluation: r.evaluation,
              ok: r.ok,
              feasible: r.feasible,
              score: r.score,
              params: r.params,
              metrics: r.metrics,
              constraints: r.constraints,
              ...(r.error ? { error: r.error } : {}),
            }));
            const data: CircuitProgress = {
              agent: o.agent,
              evaluations: s.simulations,
              budget: o.budget,
              points,
              feasible: s.firstFeasibleAt !== null,
              firstFeasibleAt: s.firstFeasibleAt,
              bestScore: s.best?.score ?? null,
              bestAt: s.best?.evaluation ?? null,
              best: s.best ? { params: s.best.params, metrics: s.best.metrics } : null,
              newPareto: s.newPareto,
              paretoSize: s.archive.size,
              stats: lastStats,
              failures: s.failures,
              reference,
            };
            ctx.progress({
              evaluations: s.simulations,
              best: s.best?.score ?? null,
              bestLabel: 'score',
              feasible: s.firstFeasibleAt !== null,
              message: s.firstFeasibleAt === null ? 'searching for a feasible design' : `feasible since simulation ${s.firstFeasibleAt}; Pareto front ${s.archive.size}`,
              data,
            });
          },
        },
      );
      if (st.cancelled) ctx.log(`cancelled after ${st.simulations} simulations; keeping the best so far`, 'warn');
      if (st.failures > 0) ctx.log(`${st.failures} of ${st.simulations} simulations failed (counted, scored ${spec.failScore ?? -5})`, 'warn');

      const best = st.best;
      const pareto = st.archive.points();
      let dominatesReference: boolean | null = null;
      if (reference && refOutcome.ok && best?.feasible) {
        const objs = spec.targets.map((t) => ({ metric: t.metric, sense: t.sense }));
        dominatesReference = dominates(objs, best.metrics, reference.metrics) || pareto.some((p) => dominates(objs, p.metrics, reference.metrics));
      }
      const exports = writeCircuitExports({
        problem,
        runDir: ctx.runDir,
        ...(o.exportDir ? { exportDir: o.exportDir } : {}),
        agent: o.agent,
        seed: o.seed,
        best: best ? { params: best.params, metrics: best.metrics, feasible: best.feasible, score: best.score, evaluation: best.evaluation } : null,
        pareto,
        reference,
        records,
      });
      const result: CircuitResult = {
        kind: 'circuit',
        problem: problem.name,
        agent: o.agent,
        seed: o.seed,
        backend,
        simulations: st.simulations,
        seconds: (Date.now() - t0) / 1000,
        feasible: st.firstFeasibleAt !== null,
        firstFeasibleAt: st.firstFeasibleAt,
        best: best ? { params: best.params, metrics: best.metrics } : { params: {}, metrics: {} },
        pareto: pareto.map((p) => ({ params: p.params, metrics: p.metrics })),
        exports,
        budget: o.budget,
        workers,
        bestScore: best?.score ?? null,
        bestAt: best?.evaluation ?? null,
        failures: st.failures,
        cancelled: st.cancelled,
        resumed: st.resumed,
        reference,
        dominatesReference,
        paretoDetail: pareto,
        trace: st.trace,
        backendReport: backend === 'none' ? null : (backendReport()?.summary ?? null),
      };
      return result;
    } finally {
      agent?.dispose();
      await evaluator.close();
    }
  },
};

export default job;
