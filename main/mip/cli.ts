/**
 * `npx optiloop mip solve <instance.mps|.lp> [options]` (CONTRACTS.md): runs plain HiGHS or Balans
 * through the job runner and writes the result JSON to --out.
 */
import { resolve } from 'node:path';
import type { DomainCli, CliIO } from '../cli/types.ts';
import { runJobFromCli } from '../cli/run-job.ts';
import { MIP_ACCEPTANCE, MIP_BANDITS, MIP_METHODS } from '../../contract/mip.ts';
import { parseArm } from '../../simulators/mip/operators.ts';
import { checkInput, choiceOption, fail, inputFile, numberOption, parseVerbArgs, RUN_OPTIONS } from '../cli/args.ts';
import { readInstance } from './io.ts';
import type { MipResult } from '../../contract/mip.ts';

const USAGE = `Usage: npx optiloop mip solve <instance.mps|.lp> [options]

Solves a mixed-integer program with Balans (bandit-driven large-neighbourhood search over HiGHS)
or with plain HiGHS. Files: MPS (free or fixed), CPLEX LP, optionally gzipped.

Options:
  --method balans|highs      solver (default balans)
  --time-limit SEC           wall-clock seconds after HiGHS has loaded (default 60)
  --seed S                   random seed (default 1)
  --out FILE                 write the result JSON there (it is always in the run directory too)
  --operators a,b,...        Balans arms: mutation, rins, rens, dins, local_branching, proximity,
                             crossover, random_objective, optionally with a rate: mutation_25,
                             rins_40, proximity_005 (default: Balans' defaults: crossover,
                             mutation_50, rins_40, rens_40, rens_50, proximity_005,
                             local_branching_10, local_branching_20, local_branching_30,
                             local_branching_50)
  --bandit ${MIP_BANDITS.join('|')}   arm selection (default softmax, tau 1.359686)
  --accept ${MIP_ACCEPTANCE.join('|')}   acceptance (default hill-climbing)
  --iteration-time-limit SEC seconds per sub-MIP (default min(60, max(1, time-limit / 10)))
  --reference VALUE          known optimum: the result then has the primal integral
  --export-dir DIR           also copy the exports (.sol, JSON with trace and arm statistics) there
  --runs-dir DIR             where run directories go
  -h, --help                 this help

Exit code 0 on a finished run (feasible or not), 2 on bad options, 1 on a bad file or a failure.`;

const solve = {
  summary: 'solve a MIP (MPS/LP) with Balans or plain HiGHS',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseVerbArgs(
      argv,
      {
        method: { type: 'string' },
        'time-limit': { type: 'string' },
        operators: { type: 'string' },
        bandit: { type: 'string' },
        accept: { type: 'string' },
        'iteration-time-limit': { type: 'string' },
        reference: { type: 'string' },
        inline: { type: 'boolean' },
        ...RUN_OPTIONS,
      },
      USAGE,
      io,
    );
    if (typeof parsed === 'number') return parsed;
    const { values: v, positionals } = parsed;
    const file = inputFile(io, positionals, 'instance file', USAGE);
    if (typeof file === 'number') return file;
    const method = choiceOption(io, 'method', v.method, MIP_METHODS, 'balans');
    if (method === null) return 2;
    if (v.bandit !== undefined && choiceOption(io, 'bandit', v.bandit, MIP_BANDITS, MIP_BANDITS[0]) === null) return 2;
    if (v.accept !== undefined && choiceOption(io, 'accept', v.accept, MIP_ACCEPTANCE, MIP_ACCEPTANCE[0]) === null) return 2;
    const timeLimit = numberOption(io, 'time-limit', v['time-limit'], { min: 0 });
    const seed = numberOption(io, 'seed', v.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
    const iter = numberOption(io, 'iteration-time-limit', v['iteration-time-limit'], { min: 0, exclusiveMin: true });
    const reference = numberOption(io, 'reference', v.reference);
    if (timeLimit === null || seed === null || iter === null || reference === null) return 2;
    let operators: string[] | undefined;
    if (v.operators !== undefined) {
      operators = v.operators.split(',').map((s) => s.trim()).filter(Boolean);
      try {
        operators.forEach(parseArm);
      } catch (e) {
        return fail(io, `--operators: ${(e as Error).message}`);
      }
      if (operators.length === 0) return fail(io, '--operators: empty list');
      if (method === 'highs') io.err('note: --operators is ignored with --method highs');
    }
    // Parse the file here first so that a bad file gets its one-line "file:line: message" at once.
    const bad = checkInput(io, () => readInstance(file));
    if (bad !== null) return bad;
    const options: Record<string, unknown> = { method };
    if (timeLimit !== undefined) options.timeLimit = timeLimit;
    if (seed !== undefined) options.seed = seed;
    if (iter !== undefined) options.iterationTimeLimit = iter;
    if (reference !== undefined) options.reference = reference;
    if (operators) options.operators = operators;
    if (v.bandit) options.bandit = v.bandit;
    if (v.accept) options.accept = v.accept;
    if (v.inline) options.inline = true;
    if (v['export-dir']) options.exportDir = resolve(v['export-dir']);
    const { code, result } = await runJobFromCli({
      kind: 'mip',
      input: { path: file },
      options,
      out: v.out,
      runsDir: v['runs-dir'],
      io,
    });
    const r = result as MipResult | null;
    if (r) {
      const obj = r.objective === null ? 'none' : String(r.objective);
      io.out(`${r.instance}: ${r.status}, objective ${obj}${r.bound !== null ? `, bound ${r.bound}` : ''}, ${r.iterations} iterations, ${r.seconds.toFixed(1)} s`);
      for (const n of r.notes) io.out(`note: ${n}`);
    }
    return code;
  },
};

const cli: DomainCli = {
  name: 'mip',
  summary: 'MIP workbench: Balans (bandit-driven LNS) over HiGHS (wasm)',
  verbs: { solve },
};

export default cli;
