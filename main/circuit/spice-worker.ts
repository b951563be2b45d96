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

serveTasks<ProblemRunner, SpiceTask, SpiceTaskResult>(
  async (data) => {
    const d = data as SpiceWorkerData;
    const session = await SpiceSession.start();
    return new ProblemRunner(session, d.problem, `${d.tag ?? 'w'}${threadId}`, { forceSource: d.forceSource });
  },
  async (runner, task) => {
    const t0 = performance.now();
    const r = await runner.evaluate(task.params, { keepPlots: task.keepPlots, forceSource: task.forceSource });
    return { ...r, wasmBytes: memoryBytes(), ms: performance.now() - t0 };
  },
);
