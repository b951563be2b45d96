/**
 * The grid job: reads a MATPOWER case, runs the chosen agent (main/grid/reconfigure.ts), computes the
 * loss / switching-operations Pareto front, writes the exports (switch plan JSON and CSV, the case
 * with updated branch status) and returns the result of CONTRACTS.md (GridResult).
 * Journal: one record per new incumbent and per phase (a power flow takes microseconds, so single
 * power flows are counted, not journalled). Resume: the last incumbent is the start of the new run.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { JobModule } from '../jobs/types.ts';
import type { GridResult } from '../../contract/grid.ts';
import { parseCase } from '../../simulators/grid/network.ts';
import { caseWithStatus, planCsv, switchPlan } from '../../simulators/grid/export.ts';
import { Topology } from '../../simulators/grid/topology.ts';
import { GRID_AGENTS, reconfigure } from './reconfigure.ts';

export const GridOptions = z
  .object({
    /** Absolute path of the MATPOWER case (.m). */
    file: z.string().min(1),
    agent: z.enum(GRID_AGENTS).default('exhaustive'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Wall-clock seconds for the agent. */
    timeLimit: z.number().min(0).max(7 * 86400).default(60),
    /** Lower voltage limit (p.u.) for every load bus; default: each bus's VMIN in the case. */
    vMinPu: z.number().min(0).max(1.5).optional(),
    /** Compute the loss / switching-operations Pareto front. */
    pareto: z.boolean().default(true),
    paretoTimeLimit: z.number().min(0).max(3600).optional(),
    /** Learning agent: training / test scenarios, epochs, load factor range. */
    trainScenarios: z.number().int().min(1).max(100000).default(300),
    testScenarios: z.number().int().min(0).max(10000).default(100),
    epochs: z.number().int().min(1).max(10000).default(60),
    loadLow: z.number().min(0).max(10).default(0.5),
    loadHigh: z.number().min(0).max(10).default(1.5),
    /** Seconds per scenario for the reference optimum the learning agent is scored against. */
    referenceTimeLimit: z.number().min(0).max(600).default(2),
    exportDir: z.string().optional(),
  })
  .strict()
  .refine((o) => o.loadHigh >= o.loadLow, { message: 'loadHigh must be >= loadLow' });
export type GridOptions = z.infer<typeof GridOptions>;

const job: JobModule<GridOptions, GridResult> = {
  kind: 'grid',
  optionsSchema: GridOptions,
  async run(ctx) {
    const o = ctx.options;
    const text = readFileSync(o.file, 'utf8');
    const name = basename(o.file);
    const c = parseCase(text, name);
    const prev = [...ctx.journal.previous].reverse().find((r) => r.type === 'incumbent' && Array.isArray(r.openBranches));
    const rl = o.agent === 'rl' ? (await import('./rl.ts')).runRl : undefined;
    const out = await reconfigure(
      c,
      name,
      {
        agent: o.agent,
        seed: o.seed,
        timeLimit: o.timeLimit,
        vMinPu: o.vMinPu,
        pareto: o.pareto,
        paretoTimeLimit: o.paretoTimeLimit,
        rl: { trainScenarios: o.trainScenarios, testScenarios: o.testScenarios, epochs: o.epochs, loadLow: o.loadLow, loadHigh: o.loadHigh, referenceTimeLimit: o.referenceTimeLimit },
      },
      {
        shouldStop: () => ctx.signal.aborted,
        progress: (data, evaluations, message) =>
          ctx.progress({ evaluations, best: data.bestLossKw, bestLabel: 'loss kW', feasible: data.bestLossKw !== null, message, data }),
        journal: (r) => ctx.journal.append(r),
        log: (m, level) => ctx.log(m, level),
        previousBest: prev ? (prev.openBranches as number[]) : null,
      },
      rl,
    );
    const files = writeExports(ctx.runDir, o.exportDir, text, c, out.base, out.best, out.result);
    return { ...out.result, exports: files };
  },
};

export function writeExports(
  runDir: string,
  exportDir: string | undefined,
  text: string,
  c: ReturnType<typeof parseCase>,
  base: Uint8Array,
  best: Uint8Array,
  r: Omit<GridResult, 'exports'>,
): string[] {
  const dir = join(runDir, 'exports');
  mkdirSync(dir, { recursive: true });
  const stem = c.name.replace(/[^\w]/g, '_');
  const loopOf = (cur: Uint8Array, e: number) => {
    // loop closed by e in cur: path between its ends without e
    const t = cur.slice();
    t[e] = 0;
    return pathOf(c, t, e);
  };
  const plan = switchPlan(c, base, best, loopOf);
  const files: string[] = [];
  const planJson = join(dir, `${stem}_switch_plan.json`);
  writeFileSync(
    planJson,
    JSON.stringify(
      { case: r.case, agent: r.agent, baseOpenBranches: r.baseOpenBranches, openBranches: r.openBranches, lossKw: r.lossKw, baseLossKw: r.baseLossKw, minVoltagePu: r.minVoltagePu, switchingOps: plan.length, steps: plan, pareto: r.pareto },
      null,
      2,
    ) + '\n',
  );
  files.push(planJson);
  const planCsvFile = join(dir, `${stem}_switch_plan.csv`);
  writeFileSync(planCsvFile, planCsv(plan));
  files.push(planCsvFile);
  const newName = `${stem}_reconfigured`;
  const caseFile = join(dir, `${newName}.m`);
  const note = `agent ${r.agent}, seed ${r.seed}: open branch rows ${r.openBranches.join(', ')}\nloss ${typeof r.lossKw === 'number' ? r.lossKw.toFixed(3) : 'n/a'} kW (base ${typeof r.baseLossKw === 'number' ? r.baseLossKw.toFixed(3) : 'n/a'} kW); only BR_STATUS changed`;
  writeFileSync(caseFile, caseWithStatus(text, c, best, newName, note));
  files.push(caseFile);
  if (exportDir) {
    mkdirSync(exportDir, { recursive: true });
    for (const f of [...files]) {
      const target = join(exportDir, basename(f));
      copyFileSync(f, target);
      files.push(target);
    }
  }
  return files;
}

const topoCache = new WeakMap<object, Topology>();
function pathOf(c: ReturnType<typeof parseCase>, closedWithoutE: Uint8Array, e: number): number[] {
  let t = topoCache.get(c);
  if (!t) {
    t = new Topology(c);
    topoCache.set(c, t);
  }
  return t.treePath(closedWithoutE, t.eu[e], t.ev[e]);
}

export default job;
