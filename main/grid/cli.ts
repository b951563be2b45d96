/**
 * `npx optiloop grid reconfigure <case.m> [--agent rl|exhaustive|local|...] [--seed S]
 *  [--time-limit SEC] [--out result.json]` (CONTRACTS.md) and `optiloop grid inspect <case.m>`.
 */
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CliIO, DomainCli } from '../cli/types.ts';
import { runJobFromCli } from '../cli/run-job.ts';
import { checkInput, choiceOption, fail, inputFile, numberOption, parseVerbArgs, RUN_OPTIONS } from '../cli/args.ts';
import { parseCase } from '../../simulators/grid/network.ts';
import { inspectCase } from '../../simulators/grid/inspect.ts';
import type { GridResult } from '../../contract/grid.ts';
import { GRID_AGENTS } from './reconfigure.ts';

const USAGE = `Usage: npx optiloop grid reconfigure <case.m> [options]

Chooses which branches of a distribution feeder (MATPOWER case, version 2) to open so that the
network is radial and connected, voltages stay within limits and the active-power loss is minimal.

Options:
  --agent exhaustive|exact|local|rl
                         exhaustive (= exact): branch and bound that proves the optimum (default)
                         local: branch exchange with restarts (any size)
                         rl: policy network trained on load-perturbed scenarios, then one pass
  --seed S               random seed (default 1)
  --time-limit SEC       seconds for the agent (default 60)
  --vmin PU              lower voltage limit for every load bus (default: VMIN of each bus)
  --no-pareto            skip the loss / switching-operations Pareto front
  --pareto-time-limit SEC   seconds for the Pareto front (default min(30, time limit))
  --train-scenarios N    rl: training scenarios (default 300)
  --test-scenarios N     rl: unseen scenarios reported in the result (default 100)
  --epochs N             rl: training epochs (default 60)
  --load-range LO,HI     rl: load factor range of the scenarios (default 0.5,1.5)
  --reference-time-limit SEC  rl: seconds of exact search per scenario label (default 2)
  --out FILE             write the result JSON there (it is always in the run directory too)
  --export-dir DIR       also copy the exports (switch plan JSON/CSV, updated case .m) there
  --runs-dir DIR         where run directories go
  -h, --help             this help

Result: openBranches are 1-based rows of the case's branch matrix. Exit code 0 on a finished run
(feasible or not), 2 on bad options, 1 on a bad file or a failure.`;

const INSPECT_USAGE = `Usage: npx optiloop grid inspect <case.m> [--json]

Prints buses, branches, switches, the base configuration's loss and lowest voltage.`;

const reconfigure = {
  summary: 'reconfigure a feeder (MATPOWER .m) for minimum loss',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseVerbArgs(
      argv,
      {
        agent: { type: 'string' },
        'time-limit': { type: 'string' },
        vmin: { type: 'string' },
        'no-pareto': { type: 'boolean' },
        'pareto-time-limit': { type: 'string' },
        'train-scenarios': { type: 'string' },
        'test-scenarios': { type: 'string' },
        epochs: { type: 'string' },
        'load-range': { type: 'string' },
        'reference-time-limit': { type: 'string' },
        ...RUN_OPTIONS,
      },
      USAGE,
      io,
    );
    if (typeof parsed === 'number') return parsed;
    const { values: v, positionals } = parsed;
    const file = inputFile(io, positionals, 'case file', USAGE);
    if (typeof file === 'number') return file;
    const agent = choiceOption(io, 'agent', v.agent, GRID_AGENTS, 'exhaustive');
    if (agent === null) return 2;
    const seed = numberOption(io, 'seed', v.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
    const timeLimit = numberOption(io, 'time-limit', v['time-limit'], { min: 0 });
    const vmin = numberOption(io, 'vmin', v.vmin, { min: 0, max: 1.5 });
    const ptl = numberOption(io, 'pareto-time-limit', v['pareto-time-limit'], { min: 0 });
    const train = numberOption(io, 'train-scenarios', v['train-scenarios'], { integer: true, min: 1 });
    const test = numberOption(io, 'test-scenarios', v['test-scenarios'], { integer: true, min: 0 });
    const epochs = numberOption(io, 'epochs', v.epochs, { integer: true, min: 1 });
    const rtl = numberOption(io, 'reference-time-limit', v['reference-time-limit'], { min: 0, max: 600 });
    if ([seed, timeLimit, vmin, ptl, train, test, epochs, rtl].some((x) => x === null)) return 2;
    let range: [number, number] | undefined;
    if (v['load-range'] !== undefined) {
      const parts = v['load-range'].split(',').map(Number);
      if (parts.length !== 2 || parts.some((x) => !Number.isFinite(x) || x < 0) || parts[1] < parts[0]) return fail(io, `--load-range ${v['load-range']}: expected LO,HI with 0 <= LO <= HI`);
      range = [parts[0], parts[1]];
    }
    const bad = checkInput(io, () => parseCase(readFileSync(file, 'utf8'), file));
    if (bad !== null) return bad;
    const options: Record<string, unknown> = { agent };
    if (seed !== undefined) options.seed = seed;
    if (timeLimit !== undefined) options.timeLimit = timeLimit;
    if (vmin !== undefined) options.vMinPu = vmin;
    if (v['no-pareto']) options.pareto = false;
    if (ptl !== undefined) options.paretoTimeLimit = ptl;
    if (train !== undefined) options.trainScenarios = train;
    if (test !== undefined) options.testScenarios = test;
    if (epochs !== undefined) options.epochs = epochs;
    if (rtl !== undefined) options.referenceTimeLimit = rtl;
    if (range) {
      options.loadLow = range[0];
      options.loadHigh = range[1];
    }
    if (v['export-dir']) options.exportDir = resolve(v['export-dir']);
    const { code, result } = await runJobFromCli({ kind: 'grid', input: { path: file }, options, out: v.out, runsDir: v['runs-dir'], io });
    const r = result as GridResult | null;
    if (r) {
      const loss = typeof r.lossKw === 'number' ? `${r.lossKw.toFixed(2)} kW` : 'no solution';
      const base = typeof r.baseLossKw === 'number' ? `${r.baseLossKw.toFixed(2)} kW` : 'n/a';
      io.out(`${r.case}: open branches ${r.openBranches.join(', ')}; loss ${loss} (base ${base}); lowest voltage ${typeof r.minVoltagePu === 'number' ? r.minVoltagePu.toFixed(4) : '-'} p.u.; ${r.proofStatus}; ${r.powerFlows} power flows, ${r.seconds.toFixed(2)} s`);
      if (r.message) io.out(`note: ${r.message}`);
      for (const p of r.pareto) io.out(`pareto: ${p.switchingOps} operations -> ${p.lossKw.toFixed(2)} kW, Vmin ${p.minVoltagePu.toFixed(4)}${p.proven ? ' (proven)' : ''}, open ${p.openBranches.join(' ')}`);
    }
    return code;
  },
};

const inspect = {
  summary: 'print a case: buses, branches, switches, base loss',
  usage: INSPECT_USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseVerbArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, INSPECT_USAGE, io);
    if (typeof parsed === 'number') return parsed;
    const file = inputFile(io, parsed.positionals, 'case file', INSPECT_USAGE);
    if (typeof file === 'number') return file;
    let c: ReturnType<typeof parseCase> | undefined;
    const bad = checkInput(io, () => (c = parseCase(readFileSync(file, 'utf8'), file)));
    if (bad !== null || !c) return bad ?? 1;
    const d = inspectCase(c);
    if (parsed.values.json) {
      io.out(JSON.stringify(d, null, 2));
      return 0;
    }
    io.out(`${d.caseName}: ${d.buses.length} buses, ${d.branches.length} branches, ${d.switches} switchable, ${d.loops} to open`);
    io.out(`open in case: ${d.baseOpenBranches.join(', ') || 'none'}; radial ${d.baseRadial}, connected ${d.baseConnected}`);
    io.out(`base loss ${d.baseLossKw === null ? 'no solution' : d.baseLossKw.toFixed(3) + ' kW'}; lowest voltage ${d.baseMinVoltagePu?.toFixed(4) ?? '-'} p.u. at bus ${d.baseMinVoltageBus ?? '-'}`);
    io.out(`load ${d.totalLoadKw.toFixed(1)} kW / ${d.totalLoadKvar.toFixed(1)} kVAr, ${d.baseKv} kV, ${d.baseMva} MVA`);
    for (const w of d.warnings) io.out(`warning: ${w}`);
    return 0;
  },
};

const cli: DomainCli = {
  name: 'grid',
  summary: 'distribution-grid reconfiguration (MATPOWER feeders)',
  verbs: { reconfigure, inspect },
};

export default cli;
