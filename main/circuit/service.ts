/**
 * The circuit workbench's DomainService: opens problem files (.yaml/.yml/.json) and annotated
 * netlists (.cir/.sp/.net/...), lists the bundled circuits of resources/circuits/, and inspects a
 * problem (variables, specs, reference design, schematic).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join, posix, resolve } from 'node:path';
import { registerDomain, type DomainService, type InspectContext } from '../domains.ts';
import { InputError, isInputError } from '../../simulators/errors.ts';
import type { Example, Inspection } from '../../contract/api.ts';
import type { CircuitInspection } from '../../contract/circuit.ts';
import { parseAnyProblem, type CircuitProblem, type MeasureSpec } from '../../simulators/circuit/problem.ts';
import { describeNetlist } from '../../simulators/circuit/schematic.ts';
import { referenceParams } from './agents/task.ts';

export const CIRCUIT_EXTENSIONS = ['.yaml', '.yml', '.json', '.cir', '.sp', '.spi', '.spice', '.net', '.ckt'] as const;

export function circuitResourcesDir(): string {
  return fileURLToPath(new URL('../../resources/circuits/', import.meta.url));
}

/** The problem file of each bundled circuit folder (problem.yaml/.yml/.json, else an annotated netlist). */
function exampleFiles(): { id: string; file: string }[] {
  const dir = circuitResourcesDir();
  if (!existsSync(dir)) return [];
  const out: { id: string; file: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (!statSync(sub).isDirectory()) continue;
    const files = readdirSync(sub);
    const problem = files.find((f) => /^problem\.(ya?ml|json)$/i.test(f)) ?? files.find((f) => /\.(cir|sp|net)$/i.test(f) && /^\s*\*\s*@var\b/m.test(readFileSync(join(sub, f), 'utf8')));
    if (problem) out.push({ id: `circuit/${name}`, file: join(sub, problem) });
  }
  return out;
}

/** Parses a problem file from disk (includes resolve next to it). */
export function loadProblem(file: string): CircuitProblem {
  const abs = resolve(file);
  const dir = resolve(abs, '..');
  return parseAnyProblem(readFileSync(abs, 'utf8'), basename(abs), (rel) => readFileSync(resolve(dir, rel), 'utf8'));
}

/**
 * Where inspect() finds the files a problem includes (its netlist, model libraries): first among
 * the companion files sent with it (by relative name, then by base name), then in its folder (input
 * by path, bundled example). A text without a folder also tries a bundled example of the same name
 * and text, and nothing else. A file found nowhere fails with what to do about it.
 */
function readerFor(name: string, text: string, where: InspectContext = {}): (rel: string) => string {
  const companions = Object.entries(where.files ?? {}).map(([k, v]) => ({ key: normaliseRel(k), base: posix.basename(normaliseRel(k)), text: v }));
  const dirs: string[] = [];
  if (where.dir) dirs.push(resolve(where.dir));
  else {
    // A text without a folder reads no files of this machine except a bundled example's own: in web
    // mode the text comes from a browser, and its includes must not reach the server's files.
    for (const ex of exampleFiles()) {
      if (basename(ex.file) === basename(name) && readFileSync(ex.file, 'utf8') === text) dirs.push(resolve(ex.file, '..'));
    }
  }
  return (rel: string) => {
    const key = normaliseRel(rel);
    const hit = companions.find((c) => c.key === key) ?? companions.find((c) => c.base === posix.basename(key));
    if (hit) return hit.text;
    for (const d of dirs) {
      const p = resolve(d, rel);
      if (existsSync(p) && statSync(p).isFile()) return readFileSync(p, 'utf8');
    }
    throw new Error(missingHint(name, where));
  };
}

function normaliseRel(rel: string): string {
  return posix.normalize(rel.replace(/\\/g, '/')).replace(/^(\.\/)+/, '');
}

function missingHint(name: string, where: InspectContext): string {
  const main = basename(name);
  if (where.dir && !where.files) return `it is not in ${resolve(where.dir)}: put it next to ${main}`;
  return `open it together with ${main} (select or drop all the files at once), or open ${main} from its folder`;
}

function describeMeasure(m: MeasureSpec): string {
  const parts: string[] = [m.kind.replace(/_/g, ' ')];
  if (m.out) parts.push(`of ${m.out}`);
  if (m.freq) parts.push(`at ${m.freq} Hz`);
  if (m.kind === 'bandwidth') parts.push(`(-${m.dropDb ?? 3} dB from ${m.ref ?? 'max'})`);
  if (m.supplies) parts.push(`from ${m.supplies.join(', ')}`);
  if (m.expr) parts.push(`= ${m.expr}`);
  return parts.join(' ');
}

const METRIC_UNITS: Record<string, string> = { power: 'W', gain: 'Ohm', bandwidth: 'Hz', area: 'm^2', ugf: 'Hz', phase_margin: 'deg' };

export function inspectProblem(problem: CircuitProblem, name: string, text: string): Inspection {
  const warnings: string[] = [];
  const unitOf = (metric: string): string => {
    const m = problem.measurements.find((x) => x.name === metric);
    if (m?.db) return 'dB';
    if (m?.kind === 'power') return 'W';
    if (m?.kind === 'area') return 'm^2';
    if (m?.kind === 'bandwidth' || m?.kind === 'ugf') return 'Hz';
    if (m?.kind === 'phase_margin') return 'deg';
    return METRIC_UNITS[metric] ?? '';
  };
  const ref = referenceParams(problem);
  let schematic: CircuitInspection['schematic'] = null;
  try {
    schematic = describeNetlist(problem);
  } catch (e) {
    warnings.push(`schematic: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (problem.targets.length === 0) warnings.push('no targets: the run stops improving once every constraint holds');
  for (const t of problem.targets) if (t.ref === undefined && problem.reference?.metrics?.[t.metric] === undefined) warnings.push(`target ${t.metric} has no ref: the reference (or initial) design's simulated value normalises it`);
  const details: CircuitInspection = {
    name: problem.name,
    source: /\.(ya?ml|json)$/i.test(name) ? 'problem' : 'netlist',
    variables: problem.variables.map((v) => ({ name: v.name, lo: v.lo, hi: v.hi, scale: v.scale, unit: v.unit, step: v.step ?? null, reference: ref?.[v.name] ?? null })),
    constraints: problem.constraints.map((c) => ({ metric: c.metric, op: c.op, value: c.value, scale: c.scale, unit: unitOf(c.metric) })),
    targets: problem.targets.map((t) => ({ metric: t.metric, sense: t.sense, ref: t.ref ?? problem.reference?.metrics?.[t.metric] ?? null, unit: unitOf(t.metric) })),
    fixed: problem.fixed,
    measurements: Object.fromEntries(problem.measurements.map((m) => [m.name, describeMeasure(m)])),
    reference: problem.reference && ref ? { label: problem.reference.name, params: ref, metrics: problem.reference.metrics ?? {} } : null,
    netlist: problem.netlist,
    schematic,
    warnings,
  };
  const facts: Record<string, string | number> = {
    variables: problem.variables.length,
    constraints: problem.constraints.map((c) => `${c.metric} ${c.op} ${c.value}`).join(', ') || 'none',
    targets: problem.targets.map((t) => `${t.sense} ${t.metric}`).join(', ') || 'none',
    analyses: problem.analyses.join('; '),
    measurements: problem.measurements.length,
    reference: problem.reference ? problem.reference.name : 'none',
  };
  return { domain: 'circuit', name, text, title: problem.title || problem.name, facts, details };
}

export const circuitService: DomainService = {
  domain: 'circuit',
  extensions: [...CIRCUIT_EXTENSIONS],
  examples(): Example[] {
    return exampleFiles().map(({ id, file }) => {
      let title = id.slice('circuit/'.length);
      let description = 'circuit sizing problem';
      try {
        const p = loadProblem(file);
        title = p.title || p.name;
        description = p.description.trim().split('\n')[0] || description;
      } catch {
        /* a broken example still lists; inspecting it shows the error */
      }
      return { id, domain: 'circuit' as const, title, description, file };
    });
  },
  inspect(name: string, text: string, where?: InspectContext): Inspection {
    let problem: CircuitProblem;
    try {
      problem = parseAnyProblem(text, name, readerFor(name, text, where));
    } catch (e) {
      // The parser names an include it cannot read; say what to do about it.
      if (isInputError(e) && /^cannot read included file '[^']*'$/.test(e.detail)) throw new InputError(e.file, e.line, `${e.detail}: ${missingHint(name, where ?? {})}`);
      throw e;
    }
    return inspectProblem(problem, name, text);
  },
  jobModule: new URL('./job.ts', import.meta.url),
};

registerDomain(circuitService);
