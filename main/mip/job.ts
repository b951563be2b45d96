/**
 * The MIP job: reads the instance, runs plain HiGHS or Balans (main/mip/balans.ts) with HiGHS in a
 * worker thread, journals every LNS iteration and every new incumbent, reports progress (MipProgress),
 * writes the exports (<instance>.sol and <instance>.<method>.json with the incumbent trace and arm
 * statistics) and returns the result of CONTRACTS.md (MipResult). A cancelled run returns its best.
 * Resume: the last incumbent in the journal is the initial solution of the resumed run.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { JobModule } from '../jobs/types.ts';
import { parseArm } from '../../simulators/mip/operators.ts';
import { checkSolution } from '../../simulators/mip/check.ts';
import { numCols, objectiveValue } from '../../simulators/mip/model.ts';
import { MIP_ACCEPTANCE, MIP_BANDITS, MIP_METHODS, type MipResult } from '../../contract/mip.ts';
import { solveMip, type BalansConfig } from './balans.ts';
import { InlineSubSolver, WorkerSubSolver, type SubSolver } from './solver.ts';
import { instanceName, readInstance, roundIntegers, solText } from './io.ts';

export const MipOptions = z
  .object({
    /** Absolute path of the instance (.mps, .lp, optionally .gz). */
    file: z.string().min(1),
    method: z.enum(MIP_METHODS).default('balans'),
    /** Wall-clock seconds for the solve (after HiGHS has loaded). */
    timeLimit: z.number().min(0).max(7 * 86400).default(60),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Balans arms, e.g. ["mutation_50", "rins_40", "local_branching"]; default: Balans' defaults. */
    operators: z
      .array(z.string())
      .min(1)
      .optional()
      .superRefine((ops, ctx) => {
        for (const o of ops ?? []) {
          try {
            parseArm(o);
          } catch (e) {
            ctx.addIssue({ code: 'custom', message: (e as Error).message });
          }
        }
      }),
    bandit: z.enum(MIP_BANDITS).default('softmax'),
    accept: z.enum(MIP_ACCEPTANCE).default('hill-climbing'),
    /** Seconds per sub-MIP (default: min(60, max(1, timeLimit / 10))). */
    iterationTimeLimit: z.number().positive().optional(),
    /** Balans' starting solution: HiGHS's incumbent once it stops improving (after its root node), after its root node, or its first solution. */
    initialSolution: z.enum(['improving', 'root', 'first']).default('improving'),
    /** Known optimum or best value, for the primal integral in the result. */
    reference: z.number().optional(),
    /** Recycle the HiGHS worker when its wasm heap passes this size. */
    heapLimitMb: z.number().int().min(64).max(4096).default(1024),
    /** Run HiGHS in the job thread instead of a worker (no isolation; for tiny models and tests). */
    inline: z.boolean().default(false),
    exportDir: z.string().optional(),
  })
  .strict();
export type MipOptions = z.infer<typeof MipOptions>;

const job: JobModule<MipOptions, MipResult> = {
  kind: 'mip',
  optionsSchema: MipOptions,
  async run(ctx) {
    const o = ctx.options;
    const model = readInstance(o.file);
    const name = instanceName(o.file);
    const n = numCols(model);

    // Resume: the best solution journalled by an interrupted run of this job.
    let initial: Float64Array | undefined;
    for (const r of ctx.journal.previous) {
      if (r.type !== 'incumbent' || !Array.isArray(r.index) || !Array.isArray(r.value)) continue;
      const x = new Float64Array(n);
      (r.index as number[]).forEach((j, k) => (x[j] = (r.value as number[])[k]));
      if (checkSolution(model, x).feasible) initial = x;
    }
    if (initial) ctx.log(`resuming from the journalled incumbent ${objectiveValue(model, initial)}`);

    const solver: SubSolver = o.inline ? new InlineSubSolver(model) : new WorkerSubSolver(model, { heapLimitBytes: o.heapLimitMb * 1024 * 1024 });
    const config: Partial<BalansConfig> = {
      bandit: o.bandit,
      accept: o.accept,
      initialSolution: o.initialSolution,
      reference: o.reference ?? null,
      ...(o.operators ? { operators: o.operators } : {}),
      ...(o.iterationTimeLimit ? { iterationTimeLimit: o.iterationTimeLimit } : {}),
    };
    let lastJournalled: number | null = null;
    let out;
    try {
      const loadStart = performance.now();
      await solver.ready();
      ctx.log(`HiGHS loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s; ${o.method} on ${name} for ${o.timeLimit} s`);
      out = await solveMip({
        model,
        method: o.method,
        timeLimit: o.timeLimit,
        seed: o.seed,
        config,
        solver,
        initial,
        signal: ctx.signal,
        log: (m) => ctx.log(m),
        onIteration: (rec) => ctx.journal.append({ type: 'iteration', ...rec }),
        onProgress: (p) => {
          ctx.progress({
            evaluations: p.iterations,
            best: p.incumbent,
            bestLabel: `objective (${p.sense})`,
            feasible: p.incumbent !== null,
            message: p.lastArm ? `${p.lastArm}: ${p.lastOutcome}` : undefined,
            data: p,
          });
        },
        onIncumbentChecked: (x, z) => {
          if (lastJournalled !== null && lastJournalled === z) return;
          lastJournalled = z;
          const index: number[] = [];
          const value: number[] = [];
          for (let j = 0; j < x.length; j++) if (x[j] !== 0) {
            index.push(j);
            value.push(x[j]);
          }
          ctx.journal.append({ type: 'incumbent', objective: z, index, value });
        },
      });
    } finally {
      await solver.close();
    }

    const x = out.x ? roundIntegers(model, out.x) : null;
    const check = x ? checkSolution(model, x) : null;
    const objective = x && check ? check.objective : null;
    const solution: Record<string, number> = {};
    if (x) for (let j = 0; j < n; j++) solution[model.colNames[j]] = x[j];

    const exportsDir = join(ctx.runDir, 'exports');
    mkdirSync(exportsDir, { recursive: true });
    const files: string[] = [];
    if (x && objective !== null) {
      const sol = join(exportsDir, `${name}.sol`);
      writeFileSync(sol, solText(model, x, objective));
      files.push(sol);
    }
    const arms: MipResult['arms'] = {};
    for (const [k, v] of Object.entries(out.arms)) arms[k] = { ...v };
    const report = join(exportsDir, `${name}.${o.method}.json`);
    writeFileSync(
      report,
      JSON.stringify({ instance: name, method: o.method, seed: o.seed, sense: model.sense, objective, bound: out.bound, trace: out.trace, arms, iterations: out.iterations, notes: out.notes, config: out.config }, null, 2) + '\n',
    );
    files.push(report);
    if (o.exportDir) {
      mkdirSync(o.exportDir, { recursive: true });
      for (const f of [...files]) {
        const target = join(o.exportDir, f.slice(exportsDir.length + 1));
        copyFileSync(f, target);
        files.push(target);
      }
    }

    return {
      kind: 'mip',
      instance: name,
      method: o.method,
      seed: o.seed,
      sense: model.sense,
      objective,
      status: ctx.signal.aborted && out.status === 'feasible' ? 'cancelled-feasible' : out.status,
      seconds: out.seconds,
      solution,
      trace: out.trace,
      arms,
      bound: out.bound,
      gap: objective !== null && out.bound !== null ? Math.abs(objective - out.bound) / Math.max(1, Math.abs(objective)) : null,
      check: check ? { feasible: check.feasible, maxViolation: check.maxViolation, objective: check.objective, messages: check.messages } : null,
      iterations: out.iterations,
      notes: out.notes,
      config: { ...out.config, timeLimit: o.timeLimit, method: o.method },
      primalIntegral: out.primalIntegral,
      exports: files,
    };
  },
};

export default job;
