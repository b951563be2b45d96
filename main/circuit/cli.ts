/**
 * `npx optiloop circuit optimise <problem> [--agent ddpg|random|cmaes] [--budget N] [--seed S]
 *  [--workers W] [--out result.json] [--export-dir DIR]` (CONTRACTS.md), `optiloop circuit inspect`
 * and `optiloop circuit examples`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIO, CliVerb, DomainCli } from '../cli/types.ts';
import { runJobFromCli } from '../cli/run-job.ts';
import { checkInput, choiceOption, inputFile, numberOption, parseVerbArgs, RUN_OPTIONS } from '../cli/args.ts';
import type { CircuitInspection, CircuitResult } from '../../contract/circuit.ts';
import { AGENTS, AGENT_SUMMARY } from './agents/index.ts';
import { circuitService, inspectProblem, loadProblem } from './service.ts';

const USAGE = `Usage: npx optiloop circuit optimise <problem> [options]

Sizes a circuit's design variables with a learning agent against ngspice (wasm): first every hard
constraint, then the targets (e.g. minimum power and area). <problem> is a problem file (.yaml,
.yml, .json) or an annotated netlist (.cir, .sp, .net with '* @var' / '* @spec' lines), or the name
of a bundled example (see 'optiloop circuit examples'), e.g. three-stage-tia.

Options:
  --agent ${AGENTS.join('|')}  (default ddpg)
${AGENTS.map((a) => `                          ${a}: ${AGENT_SUMMARY[a]}`).join('\n')}
  --budget N              simulations (default 1000)
  --seed S                random seed (default 1); a run is reproducible from file, agent, budget, seed
  --workers W             ngspice worker threads (default: the machine's cores)
  --timeout-ms MS         per-simulation time limit; a hung engine is replaced (default 30000)
  --beat-reference        add the reference design's target values as hard constraints: a feasible
                          design then dominates the reference (e.g. the human expert's)
  --out FILE              write the result JSON there (it is always in the run directory too)
  --export-dir DIR        also write the exports there: <name>.sized.cir, <name>.params.inc,
                          <name>.designs.json, <name>.evaluations.csv
  --runs-dir DIR          where run directories go
  -h, --help              this help

Exit code 0 on a finished run (feasible or not), 2 on bad options, 1 on a bad file or a failure.`;

const INSPECT_USAGE = `Usage: npx optiloop circuit inspect <problem> [--json]

Prints the design variables, constraints, targets and reference design of a problem file or an
annotated netlist.`;

/** A path, or the name of a bundled example ("three-stage-tia" or "circuit/three-stage-tia"). */
function resolveProblem(arg: string): string | null {
  const p = resolve(arg);
  if (existsSync(p)) return p;
  const id = arg.startsWith('circuit/') ? arg : `circuit/${arg}`;
  return circuitService.examples().find((e) => e.id === id)?.file ?? null;
}

const eng = (x: number | undefined, unit: string): string => {
  if (x === undefined || !Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  const prefixes: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
    [1, ''],
    [1e-3, 'm'],
    [1e-6, 'u'],
    [1e-9, 'n'],
    [1e-12, 'p'],
    [1e-15, 'f'],
  ];
  if (unit === 'm^2') return `${(x * 1e12).toPrecision(4)} um^2`;
  const [k, p] = prefixes.find(([k]) => a >= k) ?? [1e-15, 'f'];
  return `${(x / k).toPrecision(4)} ${p}${unit}`;
};
const UNIT: Record<string, string> = { power: 'W', gain: 'Ohm', bandwidth: 'Hz', area: 'm^2' };

const optimise: CliVerb = {
  summary: 'size a circuit with DDPG (L2DC), random search or CMA-ES',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseVerbArgs(
      argv,
      {
        agent: { type: 'string' },
        budget: { type: 'string' },
        workers: { type: 'string' },
        'timeout-ms': { type: 'string' },
        'beat-reference': { type: 'boolean' },
        ...RUN_OPTIONS,
      },
      USAGE,
      io,
    );
    if (typeof parsed === 'number') return parsed;
    const { values: v, positionals } = parsed;
    const file = inputFile(io, positionals, 'problem file', USAGE, resolveProblem, 'no such file or bundled example');
    if (typeof file === 'number') return file;
    const agent = choiceOption(io, 'agent', v.agent, AGENTS, 'ddpg');
    if (agent === null) return 2;
    const budget = numberOption(io, 'budget', v.budget, { integer: true, min: 1, max: 1_000_000 });
    const seed = numberOption(io, 'seed', v.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
    const workers = numberOption(io, 'workers', v.workers, { integer: true, min: 1, max: 256 });
    const timeoutMs = numberOption(io, 'timeout-ms', v['timeout-ms'], { integer: true, min: 100, max: 3_600_000 });
    if ([budget, seed, workers, timeoutMs].some((x) => x === null)) return 2;
    const bad = checkInput(io, () => loadProblem(file));
    if (bad !== null) return bad;
    const options: Record<string, unknown> = { agent };
    if (budget !== undefined) options.budget = budget;
    if (seed !== undefined) options.seed = seed;
    if (workers !== undefined) options.workers = workers;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    if (v['beat-reference']) options.beatReference = true;
    if (v['export-dir']) options.exportDir = resolve(v['export-dir']);
    const { code, result } = await runJobFromCli({ kind: 'circuit', input: { path: file }, options, out: v.out, runsDir: v['runs-dir'], io });
    const r = result as CircuitResult | null;
    if (r && r.kind === 'circuit') {
      const m = r.best.metrics;
      io.out(
        `${r.problem}: ${r.feasible ? `feasible (first at simulation ${r.firstFeasibleAt})` : 'no feasible design found'}; ${r.simulations} simulations, ${r.failures} failed, ${r.seconds.toFixed(1)} s, agent ${r.agent} (${r.backend})`,
      );
      io.out(`best (simulation ${r.bestAt}, score ${r.bestScore?.toFixed(4) ?? '-'}): ${Object.keys(m).map((k) => `${k} ${eng(m[k], UNIT[k] ?? '')}`).join(', ')}`);
      if (r.reference) {
        const rm = r.reference.metrics;
        io.out(`reference: ${Object.keys(rm).map((k) => `${k} ${eng(rm[k], UNIT[k] ?? '')}`).join(', ')}${r.dominatesReference === null ? '' : r.dominatesReference ? ' -> dominated by the run' : ' -> not dominated'}`);
      }
      io.out(`pareto front: ${r.pareto.length} designs`);
      for (const f of r.exports) io.out(`export: ${f}`);
    }
    return code;
  },
};

const inspect: CliVerb = {
  summary: 'print a problem: variables, constraints, targets, reference',
  usage: INSPECT_USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseVerbArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, INSPECT_USAGE, io);
    if (typeof parsed === 'number') return parsed;
    const { values: v, positionals } = parsed;
    const file = inputFile(io, positionals, 'problem file', INSPECT_USAGE, resolveProblem, 'no such file or bundled example');
    if (typeof file === 'number') return file;
    let ins: ReturnType<typeof inspectProblem> | undefined;
    const bad = checkInput(io, () => (ins = inspectProblem(loadProblem(file), file, '')));
    if (bad !== null || !ins) return bad ?? 2;
    const d = ins.details as CircuitInspection;
    if (v.json) {
      io.out(JSON.stringify({ ...ins, text: undefined, details: { ...d, netlist: undefined, schematic: undefined } }, null, 2));
      return 0;
    }
    io.out(`${ins.title} (${d.name})`);
    io.out('variables:');
    for (const x of d.variables) io.out(`  ${x.name.padEnd(8)} ${eng(x.lo, x.unit)} .. ${eng(x.hi, x.unit)} ${x.scale}${x.step ? ` step ${eng(x.step, x.unit)}` : ''}${x.reference !== null ? `  (reference ${eng(x.reference, x.unit)})` : ''}`);
    io.out('constraints:');
    for (const c of d.constraints) io.out(`  ${c.metric} ${c.op} ${eng(c.value, c.unit)} (${c.scale} scale)`);
    io.out('targets:');
    for (const t of d.targets) io.out(`  ${t.sense} ${t.metric}${t.ref !== null ? ` (ref ${eng(t.ref, t.unit)})` : ''}`);
    if (d.reference) io.out(`reference: ${d.reference.label}: ${Object.entries(d.reference.metrics).map(([k, x]) => `${k} ${eng(x, UNIT[k] ?? '')}`).join(', ')}`);
    for (const w of d.warnings) io.out(`warning: ${w}`);
    return 0;
  },
};

const examples: CliVerb = {
  summary: 'list the bundled circuits',
  usage: 'Usage: npx optiloop circuit examples',
  async run(_argv: string[], io: CliIO): Promise<number> {
    for (const e of circuitService.examples()) io.out(`${e.id.slice('circuit/'.length).padEnd(22)} ${e.title}: ${e.file}`);
    return 0;
  },
};

const cli: DomainCli = {
  name: 'circuit',
  summary: 'circuit sizing with learning agents against ngspice (L2DC)',
  verbs: { optimise, optimize: { ...optimise, summary: 'alias of optimise' }, inspect, examples },
};

export default cli;
