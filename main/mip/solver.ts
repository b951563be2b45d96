/**
 * The repair solver as the Balans loop sees it: `solve(request)` on the instance's persistent HiGHS
 * model. WorkerSubSolver runs HiGHS in a worker thread (main/mip/highs-worker.ts via WorkerPool): the
 * model is sent once, each request carries only the changes; the worker is recycled when the wasm heap
 * (which never shrinks) passes `heapLimitBytes`, and replaced after a crash or a hang, after which
 * the model is sent again. InlineSubSolver runs the same adapter in this thread (tests, benchmarks).
 */
import { BroadcastChannel } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import loadHighs, { type Highs } from 'highs';
import { WorkerFailure, WorkerPool } from '../jobs/pool.ts';
import { HighsSession, type SolveReply, type SolveRequest, warmUp } from '../../simulators/mip/highs.ts';
import type { MipModel } from '../../simulators/mip/model.ts';
import type { HighsTask, WorkerSolveRequest } from './highs-worker.ts';

export type SubSolveRequest = Omit<SolveRequest, 'shouldStop' | 'onIncumbent'>;

export interface SubSolveOptions {
  signal?: AbortSignal;
  /** New incumbents of this solve as they are found (seconds since the solve started, objective). */
  onIncumbent?: (seconds: number, objective: number) => void;
}

export interface SubSolver {
  /** Resolves when HiGHS is loaded and warmed up (start the run's clock after it). */
  ready(): Promise<void>;
  solve(req: SubSolveRequest, opts?: SubSolveOptions): Promise<SolveReply>;
  close(): Promise<void>;
  readonly stats: { solves: number; recycled: number; failures: number; peakHeapBytes: number };
}

const failedReply = (status: SolveReply['status'], seconds: number): SolveReply => ({
  status,
  modelStatus: -1,
  x: null,
  objective: null,
  bound: null,
  seconds,
  trace: [],
  heapBytes: 0,
});

export class WorkerSubSolver implements SubSolver {
  private pool: WorkerPool<HighsTask, SolveReply>;
  private readonly key = randomUUID();
  private readonly stop = new Int32Array(new SharedArrayBuffer(4));
  private channelSeq = 0;
  readonly stats = { solves: 0, recycled: 0, failures: 0, peakHeapBytes: 0 };

  constructor(
    private readonly model: MipModel,
    private readonly opts: { heapLimitBytes?: number; graceMs?: number } = {},
  ) {
    this.pool = this.newPool();
  }

  private newPool(): WorkerPool<HighsTask, SolveReply> {
    return new WorkerPool<HighsTask, SolveReply>({
      entry: new URL('./highs-worker.ts', import.meta.url),
      size: 1,
      name: 'highs',
      taskTimeoutMs: 600_000,
      workerData: { stop: this.stop },
    });
  }

  async ready(): Promise<void> {
    await this.pool.ready();
  }

  async solve(req: SubSolveRequest, opts: SubSolveOptions = {}): Promise<SolveReply> {
    const started = performance.now();
    if (opts.signal?.aborted) return failedReply('interrupted', 0);
    Atomics.store(this.stop, 0, 0);
    const onAbort = () => Atomics.store(this.stop, 0, 1);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let bc: BroadcastChannel | null = null;
    const request: WorkerSolveRequest = { ...req };
    if (opts.onIncumbent) {
      request.channel = `optiloop-mip-${this.key}-${this.channelSeq++}`;
      bc = new BroadcastChannel(request.channel);
      const cb = opts.onIncumbent;
      bc.onmessage = (ev: unknown) => {
        const d = (ev as { data: { t: number; z: number } }).data;
        cb(d.t, d.z);
      };
    }
    const timeoutMs = Math.max(1, req.timeLimit) * 1000 + (this.opts.graceMs ?? 30_000);
    try {
      let reply: SolveReply;
      try {
        reply = await this.pool.run({ op: 'solve', key: this.key, request }, { timeoutMs });
      } catch (e) {
        if (e instanceof WorkerFailure && e.kind === 'error' && e.message === 'NO_MODEL') {
          reply = await this.pool.run({ op: 'solve', key: this.key, request, model: this.model }, { timeoutMs });
        } else throw e;
      }
      this.stats.solves++;
      this.stats.peakHeapBytes = Math.max(this.stats.peakHeapBytes, reply.heapBytes);
      if (reply.heapBytes > (this.opts.heapLimitBytes ?? 1024 * 1024 * 1024)) {
        // The wasm heap never shrinks: start a fresh worker (the model is re-sent on demand).
        this.stats.recycled++;
        const old = this.pool;
        this.pool = this.newPool();
        await old.close();
      }
      return reply;
    } catch (e) {
      this.stats.failures++;
      if (e instanceof WorkerFailure) return failedReply('error', (performance.now() - started) / 1000);
      throw e;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      bc?.close();
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

let inlineHighs: Promise<Highs> | null = null;

/** The process-wide HiGHS runtime of InlineSubSolver, loaded and warmed up once. */
export function inlineRuntime(): Promise<Highs> {
  inlineHighs ??= loadHighs().then((h) => {
    warmUp(h);
    return h;
  });
  return inlineHighs;
}

/** The same adapter in this thread: no isolation, no recycling (tests, benchmarks, tiny models). */
export class InlineSubSolver implements SubSolver {
  private session: HighsSession | null = null;
  readonly stats = { solves: 0, recycled: 0, failures: 0, peakHeapBytes: 0 };

  constructor(private readonly model: MipModel) {}

  async ready(): Promise<void> {
    await inlineRuntime();
  }

  async solve(req: SubSolveRequest, opts: SubSolveOptions = {}): Promise<SolveReply> {
    const highs = await inlineRuntime();
    this.session ??= new HighsSession(highs, this.model);
    const signal = opts.signal;
    const reply = this.session.solve({
      ...req,
      shouldStop: signal ? () => signal.aborted : undefined,
      onIncumbent: opts.onIncumbent ? (t, z) => opts.onIncumbent!(t, z) : undefined,
    });
    this.stats.solves++;
    this.stats.peakHeapBytes = Math.max(this.stats.peakHeapBytes, reply.heapBytes);
    return reply;
  }

  async close(): Promise<void> {
    this.session?.dispose();
    this.session = null;
  }
}
