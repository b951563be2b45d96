/**
 * Worker-thread host of HiGHS (wasm) for the MIP workbench, served through WorkerPool.
 *
 * Tasks:
 *   { op: 'load', key, model }            keep `model` as the persistent HiGHS model named `key`
 *   { op: 'solve', key, request, model? } solve one (sub-)problem on it; `model` is sent again by the
 *                                         client only after the worker answered NO_MODEL (a fresh
 *                                         worker after recycling or a crash)
 * The cancel flag is an Int32Array over a SharedArrayBuffer in workerData: HiGHS's interrupt
 * callbacks read it, so a running solve stops within milliseconds of a cancel. New incumbents of a
 * solve are posted on a BroadcastChannel when the request names one (live progress for long solves).
 * A wasm abort (RuntimeError) leaves the runtime unusable: the worker answers the error, then exits so
 * that the pool replaces it.
 */
import { BroadcastChannel } from 'node:worker_threads';
import loadHighs, { type Highs } from 'highs';
import { serveTasks } from '../jobs/worker-side.ts';
import { HighsSession, type SolveReply, type SolveRequest, warmUp } from '../../simulators/mip/highs.ts';
import type { MipModel } from '../../simulators/mip/model.ts';

export type WorkerSolveRequest = Omit<SolveRequest, 'shouldStop' | 'onIncumbent'> & { channel?: string };

export type HighsTask =
  | { op: 'load'; key: string; model: MipModel }
  | { op: 'solve'; key: string; request: WorkerSolveRequest; model?: MipModel };

export interface HighsWorkerData {
  /** Int32Array(1) over a SharedArrayBuffer: 1 = stop the running solve. */
  stop: Int32Array;
}

interface State {
  highs: Highs;
  stop: Int32Array | null;
  session: HighsSession | null;
  key: string | null;
}

export const NO_MODEL = 'NO_MODEL';

serveTasks<State, HighsTask, SolveReply | { loaded: true; heapBytes: number }>(
  async (data) => {
    const highs = await loadHighs();
    // Compile the hot wasm paths now rather than inside the first timed solve (about 5 s under --no-liftoff).
    warmUp(highs);
    const stop = (data as HighsWorkerData | undefined)?.stop ?? null;
    return { highs, stop, session: null, key: null };
  },
  (state, task) => {
    const ensure = (key: string, model: MipModel | undefined) => {
      if (state.key === key && state.session) return state.session;
      if (!model) throw new Error(NO_MODEL);
      state.session?.dispose();
      state.session = null;
      state.key = null;
      state.session = new HighsSession(state.highs, model);
      state.key = key;
      return state.session;
    };
    try {
      if (task.op === 'load') {
        ensure(task.key, task.model);
        return { loaded: true, heapBytes: state.highs.memoryBytes };
      }
      const session = ensure(task.key, task.model);
      const { channel, ...req } = task.request;
      const bc = channel ? new BroadcastChannel(channel) : null;
      try {
        return session.solve({
          ...req,
          shouldStop: state.stop ? () => Atomics.load(state.stop!, 0) === 1 : undefined,
          onIncumbent: bc ? (t, z) => bc.postMessage({ t, z }) : undefined,
        });
      } finally {
        bc?.close();
      }
    } catch (e) {
      if (e instanceof Error && e.name === 'RuntimeError') {
        // The wasm runtime aborted: answer, then leave so the pool starts a fresh worker.
        setTimeout(() => process.exit(71), 10);
        throw new Error(`HiGHS aborted: ${e.message}`, { cause: e });
      }
      throw e;
    }
  },
);
