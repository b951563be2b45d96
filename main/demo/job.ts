/**
 * The demo job: a small, real optimisation (a (1+lambda) evolution strategy on the Rosenbrock
 * function) that exercises everything a workbench job uses: the worker pool with fault injection,
 * the journal, throttled progress, cancellation and resume. Used by the runner's tests, the web
 * mode's end-to-end tests, and `optiloop doctor`.
 */
import { z } from 'zod';
import { WorkerPool, WorkerFailure } from '../jobs/pool.ts';
import type { JobModule } from '../jobs/types.ts';
import { Rng } from '../../simulators/rng.ts';
import type { DemoTask } from './worker.ts';

export const DemoOptions = z
  .object({
    file: z.string().optional(),
    seed: z.number().int().min(0).default(1),
    dims: z.number().int().min(2).max(50).default(4),
    /** Number of evaluations. */
    budget: z.number().int().min(1).max(1_000_000).default(400),
    /** Evaluations per generation (one batch on the pool). */
    lambda: z.number().int().min(1).max(256).default(8),
    delayMs: z.number().int().min(0).max(10_000).default(0),
    workers: z.number().int().min(1).max(64).default(2),
    taskTimeoutMs: z.number().int().min(50).default(10_000),
    /** Evaluation indices (0-based) whose worker crashes / hangs / throws. */
    crashAt: z.array(z.number().int().min(0)).default([]),
    hangAt: z.array(z.number().int().min(0)).default([]),
    throwAt: z.array(z.number().int().min(0)).default([]),
  })
  .strict();
export type DemoOptions = z.infer<typeof DemoOptions>;

export interface DemoResult {
  kind: 'demo';
  seed: number;
  evaluations: number;
  failures: number;
  resumedFrom: number;
  best: { x: number[]; f: number } | null;
  pool: { replaced: number; timeouts: number; crashes: number };
  cancelled: boolean;
}

const job: JobModule<DemoOptions, DemoResult> = {
  kind: 'demo',
  optionsSchema: DemoOptions,
  async run(ctx) {
    const o = ctx.options;
    const rng = new Rng(o.seed);
    let best: { x: number[]; f: number } | null = null;
    let evaluations = 0;
    let failures = 0;
    // Resume: replay the journal (evaluations done, best so far) and continue from the best point.
    for (const r of ctx.journal.previous) {
      if (r.type !== 'eval') continue;
      evaluations++;
      const f = r.f as number | null;
      if (f === null) failures++;
      else if (!best || f < best.f) best = { x: r.x as number[], f };
    }
    const resumedFrom = evaluations;
    let sigma = 0.5;
    let parent = best?.x ?? Array.from({ length: o.dims }, () => rng.uniform(-2, 2));
    const pool = new WorkerPool<DemoTask, number>({
      entry: new URL('./worker.ts', import.meta.url),
      size: o.workers,
      taskTimeoutMs: o.taskTimeoutMs,
      name: 'demo',
    });
    try {
      await pool.ready();
      while (evaluations < o.budget && !ctx.signal.aborted) {
        const n = Math.min(o.lambda, o.budget - evaluations);
        const xs = Array.from({ length: n }, () => parent.map((v) => v + sigma * rng.normal()));
        const tasks: DemoTask[] = xs.map((x, k) => {
          const idx = evaluations + k;
          const fault = o.crashAt.includes(idx) ? 'crash' : o.hangAt.includes(idx) ? 'hang' : o.throwAt.includes(idx) ? 'throw' : 'none';
          return { x, delayMs: o.delayMs, fault };
        });
        const out = await pool.map(tasks, { signal: ctx.signal });
        let improved = false;
        out.forEach((r, k) => {
          const index = evaluations + k;
          if (r instanceof WorkerFailure) {
            failures++;
            if (r.kind !== 'aborted') ctx.log(`evaluation ${index} failed (${r.kind}): ${r.message}`, 'warn');
            ctx.journal.append({ type: 'eval', index, x: xs[k], f: null, error: r.kind });
            return;
          }
          ctx.journal.append({ type: 'eval', index, x: xs[k], f: r });
          if (!best || r < best.f) {
            best = { x: xs[k], f: r };
            improved = true;
          }
        });
        evaluations += n;
        if (best) parent = best.x;
        sigma *= improved ? 1.2 : 0.85;
        sigma = Math.min(Math.max(sigma, 1e-6), 2);
        ctx.progress({
          evaluations,
          best: best ? best.f : null,
          bestLabel: 'rosenbrock f(x)',
          feasible: best !== null,
          message: `sigma ${sigma.toExponential(2)}`,
          data: { sigma, failures },
        });
      }
    } finally {
      await pool.close();
    }
    return {
      kind: 'demo',
      seed: o.seed,
      evaluations,
      failures,
      resumedFrom,
      best,
      pool: { replaced: pool.stats.replaced, timeouts: pool.stats.timeouts, crashes: pool.stats.crashes },
      cancelled: ctx.signal.aborted,
    };
  },
};

export default job;
