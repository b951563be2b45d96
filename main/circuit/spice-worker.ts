/**
 * Worker thread entry of the circuit evaluator's pool: one ngspice (wasm) engine per thread, loaded
 * once, evaluating designs of one problem (workerData: { problem, tag }).
 *
 * The engine writes its own diagnostics to console.error/info; they are collected per run by the
 * engine wrapper, so the thread's console stays quiet.
 */
import { threadId } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { serveTasks } from '../jobs/worker-side.ts';
import { SpiceSession, ProblemRunner, type RunResult } from '../../simulators/circuit/engine.ts';
import type { CircuitProblem } from '../../simulators/circuit/problem.ts';

export interface SpiceWorkerData {
  problem: CircuitProblem;
  tag?: string;
  /** Always re-source (never alter in place). */
  forceSource?: boolean;
}

export interface SpiceTask {
  params: Record<string, number>;
  keepPlots?: boolean;
  forceSource?: boolean;
}

export interface SpiceTaskResult extends RunResult {
  /** This thread's memory after the run: JS heap + external (the engine's wasm memory), bytes. */
  wasmBytes: number;
  ms: number;
}

function memoryBytes(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

const quiet = () => {};
console.error = quiet;
console.info = quiet;
console.warn = quiet;

type State = { runner: ProblemRunner | null; error: string | null };

serveTasks<State, SpiceTask, SpiceTaskResult>(
  async (data) => {
    const d = data as SpiceWorkerData;
    const session = await SpiceSession.start();
    // A problem the runner cannot take must not make the pool respawn this worker forever: every
    // task then answers with the reason instead.
    try {
      return { runner: new ProblemRunner(session, d.problem, `${d.tag ?? 'w'}${threadId}`, { forceSource: d.forceSource }), error: null };
    } catch (e) {
      return { runner: null, error: e instanceof Error ? e.message : String(e) };
    }
  },
  async (state, task) => {
    const t0 = performance.now();
    if (!state.runner) return { ok: false, metrics: {}, error: state.error ?? 'no runner', via: 'source', wasmBytes: memoryBytes(), ms: 0 };
    const r = await state.runner.evaluate(task.params, { keepPlots: task.keepPlots, forceSource: task.forceSource });
    return { ...r, wasmBytes: memoryBytes(), ms: performance.now() - t0 };
  },
);
