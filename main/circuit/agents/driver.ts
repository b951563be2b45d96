/**
 * The optimisation loop every agent runs in: ask a batch -> map to parameters -> simulate (or reuse a
 * journaled result) -> score with the L2DC reward -> tell -> archive. Budget = simulations; the loop
 * stops at the budget or when the signal aborts, and always returns the best design found.
 */
import { ParetoArchive } from '../pareto.ts';
import { scoreDesign } from '../reward.ts';
import type { CircuitConstraintStatus, CircuitParetoPoint } from '../../../contract/circuit.ts';
import type { EvalOutcome, SizingAgent, SizingTask } from './types.ts';
import { unitToParams } from './types.ts';

export interface EvaluationRecord {
  /** 1-based simulation index. */
  evaluation: number;
  /** 0-based batch index (for resume). */
  batch: number;
  params: Record<string, number>;
  unit: number[];
  ok: boolean;
  metrics: Record<string, number>;
  error?: string;
  score: number;
  feasible: boolean;
  constraints: CircuitConstraintStatus[];
  /** True when the result came from an earlier run's journal instead of a new simulation. */
  reused?: boolean;
}

export interface DriverOptions {
  budget: number;
  /** Designs per batch (the pool's size, or a multiple of it). */
  batchSize: number;
  signal?: AbortSignal;
  /** Called after each batch with its records (journal, progress). */
  onBatch?: (records: EvaluationRecord[], state: DriverState) => void | Promise<void>;
  /** A stored outcome for this evaluation (resume); params must match what the agent proposes now. */
  cached?: (evaluation: number, params: Record<string, number>) => EvalOutcome | undefined;
}

export interface DriverState {
  simulations: number;
  failures: number;
  firstFeasibleAt: number | null;
  best: EvaluationRecord | null;
  archive: ParetoArchive;
  /** Pareto points that joined in the last batch (they may have left again). */
  newPareto: CircuitParetoPoint[];
  /** Best score after each simulation. */
  trace: number[];
  resumed: number;
  cancelled: boolean;
}

export async function runOptimisation(task: SizingTask, agent: SizingAgent, opts: DriverOptions): Promise<DriverState> {
  const st: DriverState = {
    simulations: 0,
    failures: 0,
    firstFeasibleAt: null,
    best: null,
    archive: new ParetoArchive(task.reward.targets.map((t) => ({ metric: t.metric, sense: t.sense }))),
    newPareto: [],
    trace: [],
    resumed: 0,
    cancelled: false,
  };
  let batch = 0;
  while (st.simulations < opts.budget) {
    if (opts.signal?.aborted) {
      st.cancelled = true;
      break;
    }
    const want = Math.min(opts.batchSize, opts.budget - st.simulations);
    const units = (await agent.ask(want)).slice(0, want);
    const params = units.map((u) => unitToParams(task.variables, u));
    const outcomes: (EvalOutcome | undefined)[] = params.map((p, i) => opts.cached?.(st.simulations + i + 1, p));
    const todo = outcomes.map((o, i) => (o === undefined ? i : -1)).filter((i) => i >= 0);
    if (todo.length > 0) {
      let fresh: EvalOutcome[];
      try {
        fresh = await task.evaluate(todo.map((i) => params[i]), opts.signal);
      } catch (e) {
        if (opts.signal?.aborted) {
          st.cancelled = true;
          break;
        }
        const msg = e instanceof Error ? e.message : String(e);
        fresh = todo.map(() => ({ ok: false, metrics: {}, error: msg }));
      }
      if (opts.signal?.aborted && fresh.every((f) => !f.ok)) {
        // A batch cut short by cancellation is not counted (and not told to the agent).
        st.cancelled = true;
        break;
      }
      todo.forEach((i, k) => (outcomes[i] = fresh[k]));
    }
    const records: EvaluationRecord[] = [];
    st.newPareto = [];
    outcomes.forEach((o, i) => {
      const out = o as EvalOutcome;
      const s = scoreDesign(task.reward, out.ok ? out.metrics : null);
      const evaluation = st.simulations + 1;
      const rec: EvaluationRecord = {
        evaluation,
        batch,
        params: params[i],
        unit: units[i],
        ok: s.ok,
        metrics: out.metrics ?? {},
        score: s.score,
        feasible: s.feasible,
        constraints: s.constraints,
      };
      if (out.error !== undefined) rec.error = out.error;
      if (!todo.includes(i)) {
        rec.reused = true;
        st.resumed++;
      }
      st.simulations = evaluation;
      if (!s.ok) st.failures++;
      if (s.feasible && st.firstFeasibleAt === null) st.firstFeasibleAt = evaluation;
      if (st.best === null || s.score > st.best.score) st.best = rec;
      if (s.feasible) {
        const pt = { params: rec.params, metrics: rec.metrics, evaluation };
        if (st.archive.add(pt)) st.newPareto.push(pt);
      }
      st.trace.push(st.best.score);
      records.push(rec);
    });
    await agent.tell(
      units,
      records.map((r) => r.score),
    );
    batch++;
    await opts.onBatch?.(records, st);
  }
  return st;
}
