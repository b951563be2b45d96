/**
 * A pool of worker_threads that run one task at a time each.
 *
 * - A task that exceeds its timeout, or whose worker dies (exit, uncaught error, wasm abort), rejects
 *   with a WorkerFailure; the worker is terminated and replaced, and the pool goes on.
 * - Workers are recycled after `recycleAfter` tasks (wasm engines whose memory only grows).
 * - Worker entry files written in TypeScript get tsx's loader; V8 flags such as --no-liftoff are
 *   process-wide and set by the entry points (bin/optiloop.mjs, scripts/run-tests.mjs).
 *
 * The worker side is `serveTasks(handler)` from ./worker-side.ts.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

export type FailureKind = 'timeout' | 'crash' | 'error' | 'closed' | 'aborted';

/** Consecutive deaths before 'ready' after which the pool gives up. */
const MAX_START_FAILURES = 3;

export class WorkerFailure extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.name = 'WorkerFailure';
    this.kind = kind;
  }
}

export interface PoolOptions {
  /** Worker entry file (a .ts file under tsx, a .js file in a bundle). */
  entry: URL;
  /** Number of workers; default: the machine's cores. */
  size?: number;
  /** Per-task time limit in ms (a hung engine is killed after it); default 60 s. */
  taskTimeoutMs?: number;
  /** Replace a worker after this many tasks (0 = never). */
  recycleAfter?: number;
  /** Passed to every worker as workerData. */
  workerData?: unknown;
  /** Name shown in errors and logs. */
  name?: string;
}

interface Task {
  id: number;
  input: unknown;
  timeoutMs: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: Task | null;
  timer: NodeJS.Timeout | null;
  tasksDone: number;
  dead: boolean;
  isReady: boolean;
}

/**
 * execArgv for a worker: the parent's module-loader flags (V8 flags such as --no-liftoff are
 * process-wide and Worker rejects them).
 */
export function workerExecArgv(): string[] {
  const keep: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (/^--(import|require|loader|experimental-loader|conditions)$/.test(a) && i + 1 < argv.length) {
      keep.push(a, argv[++i]);
    } else if (/^--(import|require|loader|experimental-loader|conditions)=/.test(a) || /^--experimental-/.test(a)) {
      keep.push(a);
    }
  }
  return keep;
}

/**
 * Starts a worker thread on an entry file: a .js entry directly (bundled app), a .ts entry through
 * a tiny bootstrap that registers tsx in the new thread (Node 20 does not apply the parent's
 * loader hooks to a worker's entry file).
 */
export function startWorker(entry: URL, options: { workerData?: unknown } = {}): Worker {
  const ts = entry.pathname.endsWith('.ts');
  return new Worker(ts ? new URL('./ts-bootstrap.mjs', import.meta.url) : entry, {
    workerData: options.workerData,
    execArgv: workerExecArgv(),
    argv: ts ? [entry.href] : [],
  });
}

export class WorkerPool<I = unknown, O = unknown> {
  readonly size: number;
  private readonly opts: Required<Omit<PoolOptions, 'workerData'>> & { workerData?: unknown };
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private startFailures = 0;
  /** Why the pool gave up (workers that die before they are ready, several times in a row). */
  broken: string | null = null;
  /** Counters for benchmarks and reports. */
  readonly stats = { tasks: 0, failures: 0, timeouts: 0, crashes: 0, replaced: 0, recycled: 0 };

  constructor(options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
    this.opts = {
      entry: options.entry,
      size: this.size,
      taskTimeoutMs: options.taskTimeoutMs ?? 60_000,
      recycleAfter: options.recycleAfter ?? 0,
      workerData: options.workerData,
      name: options.name ?? 'pool',
    };
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  /** Resolves once every worker has started (and loaded its engine, if it signals readiness). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  run(input: I, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<O> {
    if (this.broken) return Promise.reject(new WorkerFailure('crash', this.broken));
    if (this.closed) return Promise.reject(new WorkerFailure('closed', `${this.opts.name}: pool is closed`));
    if (options.signal?.aborted) return Promise.reject(new WorkerFailure('aborted', 'aborted'));
    return new Promise<O>((resolve, reject) => {
      const task: Task = {
        id: this.nextId++,
        input,
        timeoutMs: options.timeoutMs ?? this.opts.taskTimeoutMs,
        resolve: resolve as (v: unknown) => void,
        reject,
        signal: options.signal,
      };
      if (options.signal) {
        task.onAbort = () => {
          const i = this.queue.indexOf(task);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(new WorkerFailure('aborted', 'aborted'));
          }
        };
        options.signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.pump();
    });
  }

  /** Runs all inputs on the pool and returns outputs in order (failures as WorkerFailure values). */
  async map(inputs: readonly I[], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<(O | WorkerFailure)[]> {
    return Promise.all(
      inputs.map((x) =>
        this.run(x, options).catch((e: unknown) => (e instanceof WorkerFailure ? e : new WorkerFailure('error', String(e)))),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new WorkerFailure('closed', `${this.opts.name}: pool closed`));
    await Promise.all(
      this.slots.map(async (s) => {
        s.dead = true;
        if (s.timer) clearTimeout(s.timer);
        if (s.busy) s.busy.reject(new WorkerFailure('closed', `${this.opts.name}: pool closed`));
        await s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = startWorker(this.opts.entry, { workerData: this.opts.workerData });
    let markReady: () => void = () => {};
    const slot: Slot = {
      worker,
      ready: new Promise<void>((r) => (markReady = r)),
      busy: null,
      timer: null,
      tasksDone: 0,
      dead: false,
      isReady: false,
    };
    worker.on('message', (msg: { type: string; id?: number; value?: unknown; error?: string }) => {
      if (msg.type === 'init-error') {
        initError = msg.error ?? null;
        return;
      }
      if (msg.type === 'ready') {
        slot.isReady = true;
        this.startFailures = 0;
        markReady();
        this.pump();
        return;
      }
      const task = slot.busy;
      if (!task || msg.id !== task.id) return; // a late answer from a task that already timed out
      this.finish(slot);
      if (msg.type === 'result') task.resolve(msg.value);
      else {
        this.stats.failures++;
        task.reject(new WorkerFailure('error', msg.error ?? 'task failed'));
      }
      this.afterTask(slot);
    });
    let initError: string | null = null;
    const die = (why: string) => {
      if (slot.dead) return;
      slot.dead = true;
      markReady();
      if (!slot.isReady) {
        // The worker died before it could serve: after a few such deaths in a row the engine
        // cannot start at all (missing wasm, bad workerData), so fail the work instead of looping.
        this.startFailures++;
        if (this.startFailures >= MAX_START_FAILURES) {
          this.broken = `${this.opts.name}: workers fail to start (${initError ?? why})`;
          this.closed = true;
          for (const t of this.queue.splice(0)) t.reject(new WorkerFailure('crash', this.broken));
          return;
        }
      }
      const task = slot.busy;
      this.finish(slot);
      if (task) {
        this.stats.failures++;
        this.stats.crashes++;
        task.reject(new WorkerFailure('crash', `${this.opts.name}: worker died (${why})`));
      }
      this.replace(slot);
    };
    worker.on('error', (e) => die(e.message));
    worker.on('exit', (code) => die(`exit code ${code}`));
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const t = slot.busy;
    if (t?.signal && t.onAbort) t.signal.removeEventListener('abort', t.onAbort);
    slot.busy = null;
  }

  private afterTask(slot: Slot): void {
    slot.tasksDone++;
    this.stats.tasks++;
    if (this.opts.recycleAfter > 0 && slot.tasksDone >= this.opts.recycleAfter && !this.closed) {
      this.stats.recycled++;
      slot.dead = true;
      void slot.worker.terminate();
      this.replace(slot, false);
      return;
    }
    this.pump();
  }

  private replace(old: Slot, count = true): void {
    if (this.closed) return;
    if (count) this.stats.replaced++;
    const i = this.slots.indexOf(old);
    if (i < 0) return;
    this.slots[i] = this.spawn();
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || slot.dead || !slot.isReady) continue;
      const task = this.queue.shift()!;
      slot.busy = task;
      slot.timer = setTimeout(() => {
        if (slot.busy !== task) return;
        this.stats.failures++;
        this.stats.timeouts++;
        this.finish(slot);
        slot.dead = true;
        task.reject(new WorkerFailure('timeout', `${this.opts.name}: task exceeded ${task.timeoutMs} ms; worker replaced`));
        void slot.worker.terminate();
        this.replace(slot);
      }, task.timeoutMs);
      slot.worker.postMessage({ type: 'task', id: task.id, input: task.input });
    }
  }
}
