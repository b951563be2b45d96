/**
 * The circuit evaluator: a pool of worker threads, each with its own ngspice (wasm) engine, that
 * simulates batches of designs of one problem and returns their metrics.
 *
 * - A run that exceeds `timeoutMs`, or an engine that dies, costs that one evaluation: the pool
 *   kills and replaces the worker (the watchdog), the evaluation comes back `ok: false` with the
 *   reason, and the batch goes on.
 * - Workers are recycled every `recycleAfter` runs, before the engine's memory growth matters.
 * - Designs reach the engine by `alter` in place where the problem allows it (see
 *   simulators/circuit/engine.ts planRun), by re-sourcing the sized netlist otherwise.
 */
import { availableParallelism } from 'node:os';
import { WorkerPool, WorkerFailure } from '../jobs/pool.ts';
import type { CircuitProblem } from '../../simulators/circuit/problem.ts';
import type { SimPlots } from '../../simulators/circuit/measure.ts';
import { planRun } from '../../simulators/circuit/engine.ts';
import type { SpiceTask, SpiceTaskResult, SpiceWorkerData } from './spice-worker.ts';

export interface Evaluation {
  ok: boolean;
  /** Metrics in SI (W, Hz, Ohm, m^2, s), dB where the measurement's name says so. */
  metrics: Record<string, number>;
  error?: string;
  /** How the design reached the engine, or the pool failure kind. */
  via?: 'alter' | 'source' | 'timeout' | 'crash' | 'error' | 'aborted' | 'closed';
  /** Vectors, when asked for (evaluateWithPlots): Plot.vectors is a Map of typed arrays. */
  plots?: SimPlots;
  /** MOSFET operating regions (evaluateWithPlots, when the problem measures saturation). */
  regions?: { device: string; region: 'saturation' | 'triode' | 'off'; marginV: number }[];
}

export interface EvaluatorOptions {
  /** Worker threads (engines); default: the machine's cores. */
  workers?: number;
  /** Per-simulation time limit (ms); a hung engine is killed after it. Default 30 s. */
  timeoutMs?: number;
  /**
   * Runs per worker before it is replaced (0 = never). Default 300: ngspice's wasm heap grows by
   * about 0.4 MB per run of the three-stage TIA even after `destroy all` (docs/benchmarks.md).
   */
  recycleAfter?: number;
  /** Always re-source the netlist instead of altering in place. */
  forceSource?: boolean;
}

export interface EvaluatorStats {
  evaluations: number;
  failed: number;
  timeouts: number;
  crashes: number;
  replaced: number;
  recycled: number;
  viaAlter: number;
  viaSource: number;
  /** Sum of per-run engine time in the workers (ms). */
  engineMs: number;
  /** Largest wasm memory seen in a worker (bytes). */
  maxWasmBytes: number;
}

function workerEntry(): URL {
  const ts = import.meta.url.endsWith('.ts');
  return new URL(ts ? './spice-worker.ts' : './spice-worker.js', import.meta.url);
}

export class CircuitEvaluator {
  readonly workers: number;
  private readonly counters = { evaluations: 0, failed: 0, viaAlter: 0, viaSource: 0, engineMs: 0, maxWasmBytes: 0 };

  private constructor(
    private readonly pool: WorkerPool<SpiceTask, SpiceTaskResult>,
    readonly problem: CircuitProblem,
  ) {
    this.workers = pool.size;
  }

  static async create(problem: CircuitProblem, opts: EvaluatorOptions = {}): Promise<CircuitEvaluator> {
    // Fail here, in the caller's thread, on anything the workers could not run.
    planRun(problem);
    const workerData: SpiceWorkerData = { problem, tag: problem.name.replace(/\W+/g, '').slice(0, 16), forceSource: opts.forceSource };
    const pool = new WorkerPool<SpiceTask, SpiceTaskResult>({
      entry: workerEntry(),
      size: opts.workers ?? availableParallelism(),
      taskTimeoutMs: opts.timeoutMs ?? 30_000,
      recycleAfter: opts.recycleAfter ?? 300,
      workerData,
      name: 'ngspice',
    });
    await pool.ready();
    return new CircuitEvaluator(pool, problem);
  }

  get stats(): EvaluatorStats {
    const p = this.pool.stats;
    return { ...this.counters, timeouts: p.timeouts, crashes: p.crashes, replaced: p.replaced, recycled: p.recycled };
  }

  /** Simulates designs (params in SI, by design-variable name); results in input order. */
  async evaluate(batch: Record<string, number>[], signal?: AbortSignal): Promise<Evaluation[]> {
    return Promise.all(batch.map((params) => this.one({ params }, signal)));
  }

  /** One design with its vectors (for plots: Bode, transient, noise). */
  async evaluateWithPlots(params: Record<string, number>, signal?: AbortSignal): Promise<Evaluation> {
    return this.one({ params, keepPlots: true }, signal);
  }

  private async one(task: SpiceTask, signal?: AbortSignal): Promise<Evaluation> {
    this.counters.evaluations++;
    try {
      const r = await this.pool.run(task, { signal });
      this.counters.engineMs += r.ms;
      this.counters.maxWasmBytes = Math.max(this.counters.maxWasmBytes, r.wasmBytes);
      if (r.via === 'alter') this.counters.viaAlter++;
      else this.counters.viaSource++;
      if (!r.ok) this.counters.failed++;
      return {
        ok: r.ok,
        metrics: r.metrics,
        via: r.via,
        ...(r.error ? { error: r.error } : {}),
        ...(r.plots ? { plots: r.plots } : {}),
        ...(r.regions ? { regions: r.regions } : {}),
      };
    } catch (e) {
      this.counters.failed++;
      if (e instanceof WorkerFailure) return { ok: false, metrics: {}, error: e.message, via: e.kind };
      return { ok: false, metrics: {}, error: e instanceof Error ? e.message : String(e), via: 'error' };
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
