/**
 * Circuit sizing problems: a netlist, design variables with bounds, fixed parameters, analyses,
 * measurements, hard constraints, targets and an optional reference design.
 *
 * Two ways in (both documented in docs/circuit-problems.md):
 * - `parseProblem(text, fileName, readFile?)`: a YAML or JSON problem file that names its netlist
 *   (a file next to it, or inline text);
 * - `parseAnnotatedNetlist(text, fileName, readFile?)`: a plain netlist whose `* @var`, `* @measure`,
 *   `* @spec`, `* @target`, `* @ref` comment lines say what to size and why.
 * Only main/ touches files: `readFile(relPath)` (relative to the problem file) is passed in.
 * Bad input throws InputError(file, line, message).
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import { parseNetlist, parseAssignments, tokenizeLine, unquote, type ParsedNetlist } from './netlist.ts';
import { parseSpiceNumber } from './units.ts';
import { evalExpr, ExprError, resolveParams } from './expr.ts';

export type Scale = 'lin' | 'log';

export interface DesignVariable {
  /** Name of the netlist `.param` it sets (as written in the problem). */
  name: string;
  lo: number;
  hi: number;
  scale: Scale;
  /** Unit of the value in SI (`m`, `Ohm`, `F`, `A`, `V`, `` for ratios). */
  unit: string;
  /** Optional grid step (values are rounded to lo + k*step). */
  step?: number;
  /** Value in the netlist's own `.param` line, if it has one. */
  init?: number;
}

export const MEASURE_KINDS = [
  'power',
  'dc_gain',
  'gain_at',
  'max_gain',
  'bandwidth',
  'ugf',
  'phase_margin',
  'peaking',
  'noise_spot',
  'noise_integrated',
  'settling_time',
  'slew_rate',
  'area',
  'saturation',
  'op',
  'expr',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/**
 * One named metric. Results are SI (W, Hz, Ohm or V/V, m^2, s, V/s, V/sqrt(Hz), degrees for phase
 * margin); `db: true` returns a gain in dB (name it so, e.g. `gain_db`).
 */
export interface MeasureSpec {
  name: string;
  kind: MeasureKind;
  /** AC/transient output: `v(out)`, `v(a,b)`, `v(a)-v(b)`, `i(vsense)`. */
  out?: string;
  /** Divides the output (e.g. the AC amplitude of the input source). Default 1. */
  per?: number;
  /** Frequency for gain_at / noise_spot (Hz). */
  freq?: number;
  /** gain_at / noise_spot at the value of an earlier metric (e.g. `at: bandwidth`) instead of freq. */
  at?: string;
  db?: boolean;
  /** bandwidth: drop in dB from the reference level (default 3) and the reference ('max' | 'lf'). */
  dropDb?: number;
  ref?: 'max' | 'lf';
  /** power: voltage sources to count (default: every independent voltage source with a DC value). */
  supplies?: string[];
  /** noise: 'input' or 'output' referred. */
  which?: 'input' | 'output';
  fmin?: number;
  fmax?: number;
  /** settling_time: tolerance band as a fraction of the step (default 0.01). */
  tol?: number;
  /** slew_rate: lower/upper fractions of the step (default 0.1/0.9). */
  lo?: number;
  hi?: number;
  /** op: an operating-point vector (`v(out)`, `i(vdd)`, `@m1[gm]`). */
  vector?: string;
  /** expr: an expression over metrics measured before it and design parameters. */
  expr?: string;
  /** saturation/area: device names (default: every MOSFET). */
  devices?: string[];
  /** saturation: required |vds| - |vdsat| margin in V (default 0). */
  marginV?: number;
  /** area: m^2 per Ohm of resistors and per F of capacitors (default 0: MOS W*L only). */
  areaPerOhm?: number;
  areaPerFarad?: number;
  /** Line of the definition in the problem file. */
  line?: number;
}

export interface Constraint {
  metric: string;
  op: '>=' | '<=';
  value: number;
  /** How violations are scaled (log for gains and bandwidths, lin for power). */
  scale: Scale;
}

export interface Target {
  metric: string;
  sense: 'min' | 'max';
  /** Reference value (e.g. the human design's) that normalises the score. */
  ref?: number;
}

export interface ReferenceDesign {
  name: string;
  params: Record<string, number>;
  /** Published metrics of the reference (e.g. the paper's HSPICE numbers). */
  metrics?: Record<string, number>;
}

export interface CircuitProblem {
  /** Short identifier (file name stem by default). */
  name: string;
  title: string;
  description: string;
  /** Display name of the problem file. */
  file: string;
  /** The netlist text (the design parameters are `.param` lines in it). */
  netlist: string;
  netlistFile: string;
  /** Included files by the path written in the netlist (main/ reads them). */
  files: Record<string, string>;
  variables: DesignVariable[];
  /** Fixed `.param` overrides (SI). */
  fixed: Record<string, number>;
  /** ngspice analysis commands, in order (`op`, `ac dec 100 1 1g`, `noise v(out) iin dec 10 1 1g`, `tran 1n 1u`). */
  analyses: string[];
  measurements: MeasureSpec[];
  constraints: Constraint[];
  targets: Target[];
  reference: ReferenceDesign | null;
  /** Update parameters in place with ngspice `alter` where possible ('auto'), or always re-source. */
  update: 'auto' | 'source';
}

export type ReadFile = (relPath: string) => string;

/* ----------------------------------------------------------------------------------------------- */

function num(v: unknown, file: string, line: number | null, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const x = parseSpiceNumber(v);
    if (x !== null) return x;
  }
  throw new InputError(file, line, `${what}: expected a number (SPICE suffixes allowed), got ${JSON.stringify(v)}`);
}

const ANALYSIS_RE = /^(op|ac|dc|tran|noise|tf|pz)\b/i;

function analysisKind(cmd: string): string {
  return (ANALYSIS_RE.exec(cmd.trim())?.[1] ?? '').toLowerCase();
}

const NEEDS: Partial<Record<MeasureKind, string[]>> = {
  power: ['op'],
  dc_gain: ['ac'],
  gain_at: ['ac'],
  max_gain: ['ac'],
  bandwidth: ['ac'],
  ugf: ['ac'],
  phase_margin: ['ac'],
  peaking: ['ac'],
  noise_spot: ['noise'],
  noise_integrated: ['noise'],
  settling_time: ['tran'],
  slew_rate: ['tran'],
  saturation: ['op'],
  op: ['op'],
};

/** Parses `v(a)`, `v(a,b)`, `v(a)-v(b)`, `2*v(a)`, `i(vx)` into signed raw-vector terms. */
export function parseOutputExpr(out: string): { coef: number; vec: string }[] {
  const s = out.replace(/\s+/g, '').toLowerCase();
  const terms: { coef: number; vec: string }[] = [];
  const re = /([+-]?)(?:([\d.]+(?:e[+-]?\d+)?)\*)?(v|i)\(([^(),]+)(?:,([^(),]+))?\)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(s)) !== null) {
    const sign = m[1] === '-' ? -1 : 1;
    const k = m[2] ? Number(m[2]) : 1;
    if (m[3] === 'v') {
      terms.push({ coef: sign * k, vec: `v(${m[4]})` });
      if (m[5] && m[5] !== '0') terms.push({ coef: -sign * k, vec: `v(${m[5]})` });
    } else terms.push({ coef: sign * k, vec: `i(${m[4]})` });
    pos = re.lastIndex;
  }
  if (terms.length === 0 || pos !== s.length) throw new Error(`cannot read output '${out}': use v(node), v(a,b), v(a)-v(b) or i(vsource)`);
  return terms;
}

/** Checks a problem's parts against each other and its netlist; fills variable `init`. */
function finish(p: CircuitProblem, parsed: ParsedNetlist, where: (path: (string | number)[]) => number | null): CircuitProblem {
  const file = p.file;
  const defs = new Map<string, string>();
  for (const d of parsed.params) defs.set(d.name, d.expr);
  for (const inc of Object.keys(p.files)) {
    const lib = parseNetlist(p.files[inc], inc, { isLibrary: true, lenient: true });
    for (const d of lib.params) if (!defs.has(d.name)) defs.set(d.name, d.expr);
  }
  const seen = new Set<string>();
  p.variables.forEach((v, i) => {
    const key = v.name.toLowerCase();
    const line = where(['variables', i]);
    if (seen.has(key)) throw new InputError(file, line, `design variable '${v.name}' is listed twice`);
    seen.add(key);
    if (!parsed.params.some((d) => d.name === key))
      throw new InputError(file, line, `design variable '${v.name}' is not a .param of the netlist ${p.netlistFile}`);
    if (!(v.lo < v.hi)) throw new InputError(file, line, `design variable '${v.name}': lo (${v.lo}) must be below hi (${v.hi})`);
    if (v.scale === 'log' && v.lo <= 0) throw new InputError(file, line, `design variable '${v.name}': a log scale needs lo > 0`);
    if (v.step !== undefined && !(v.step > 0)) throw new InputError(file, line, `design variable '${v.name}': step must be positive`);
    try {
      const vals = resolveParams(defs, new Map(Object.entries(p.fixed).map(([k, x]) => [k.toLowerCase(), x])));
      const x = vals.get(key);
      if (x !== undefined && Number.isFinite(x)) v.init = x;
    } catch {
      /* the netlist value may depend on things only ngspice knows; no init then */
    }
  });
  for (const k of Object.keys(p.fixed)) {
    if (seen.has(k.toLowerCase())) throw new InputError(file, where(['fixed', k]), `'${k}' is both fixed and a design variable`);
    if (!defs.has(k.toLowerCase())) throw new InputError(file, where(['fixed', k]), `fixed parameter '${k}' is not a .param of the netlist`);
  }
  if (p.analyses.length === 0) throw new InputError(file, where(['analyses']), 'no analyses: list them in the problem or put .op/.ac/.tran/.noise lines in the netlist');
  const kinds = new Set(p.analyses.map(analysisKind));
  p.analyses.forEach((a, i) => {
    if (!analysisKind(a)) throw new InputError(file, where(['analyses', i]), `unknown analysis '${a}' (op, ac, dc, tran, noise, tf, pz)`);
  });
  const metrics = new Set<string>();
  const paramNames = new Set([...defs.keys()]);
  p.measurements.forEach((m, i) => {
    const line = m.line ?? where(['measurements', i]);
    if (metrics.has(m.name)) throw new InputError(file, line, `measurement '${m.name}' is defined twice`);
    for (const need of NEEDS[m.kind] ?? []) {
      if (!kinds.has(need)) throw new InputError(file, line, `measurement '${m.name}' (${m.kind}) needs a ${need} analysis`);
    }
    if (['dc_gain', 'gain_at', 'max_gain', 'bandwidth', 'ugf', 'phase_margin', 'peaking', 'settling_time', 'slew_rate'].includes(m.kind)) {
      if (!m.out) throw new InputError(file, line, `measurement '${m.name}' (${m.kind}) needs 'out' (e.g. v(out))`);
      try {
        parseOutputExpr(m.out);
      } catch (e) {
        throw new InputError(file, line, `measurement '${m.name}': ${(e as Error).message}`);
      }
    }
    if ((m.kind === 'gain_at' || m.kind === 'noise_spot') && m.freq === undefined && m.at === undefined)
      throw new InputError(file, line, `measurement '${m.name}' (${m.kind}) needs 'freq' (Hz) or 'at' (an earlier metric)`);
    if (m.at !== undefined && !metrics.has(m.at)) throw new InputError(file, line, `measurement '${m.name}': 'at' names '${m.at}', not a metric measured before it`);
    if (m.kind === 'op' && !m.vector) throw new InputError(file, line, `measurement '${m.name}' (op) needs 'vector'`);
    if (m.kind === 'expr') {
      if (!m.expr) throw new InputError(file, line, `measurement '${m.name}' (expr) needs 'expr'`);
      try {
        evalExpr(m.expr, (n) => (metrics.has(n) || [...metrics].some((x) => x.toLowerCase() === n) || paramNames.has(n) ? 1 : undefined));
      } catch (e) {
        if (e instanceof ExprError) throw new InputError(file, line, `measurement '${m.name}': ${e.message} (metrics defined above it and .params may be used)`);
        throw e;
      }
    }
    if (m.devices) {
      for (const d of m.devices) {
        if (!parsed.devices.some((x) => x.name === d.toLowerCase()))
          throw new InputError(file, line, `measurement '${m.name}': no device '${d}' in the netlist`);
      }
    }
    metrics.add(m.name);
  });
  p.constraints.forEach((c, i) => {
    if (!metrics.has(c.metric)) throw new InputError(file, where(['constraints', i]), `constraint on unknown metric '${c.metric}' (measured: ${[...metrics].join(', ')})`);
    if (c.scale === 'log' && !(c.value > 0)) throw new InputError(file, where(['constraints', i]), `constraint on '${c.metric}': a log scale needs a positive value`);
  });
  p.targets.forEach((t, i) => {
    if (!metrics.has(t.metric)) throw new InputError(file, where(['targets', i]), `target on unknown metric '${t.metric}' (measured: ${[...metrics].join(', ')})`);
  });
  if (p.reference) {
    for (const k of Object.keys(p.reference.params)) {
      if (!seen.has(k.toLowerCase())) throw new InputError(file, where(['reference', 'params', k]), `reference parameter '${k}' is not a design variable`);
    }
  }
  return p;
}

function resolveIncludes(parsed: ParsedNetlist, file: string, readFile: ReadFile | undefined, files: Record<string, string>): void {
  for (const inc of parsed.includes) {
    if (inc.path in files) continue;
    if (!readFile) {
      files[inc.path] = ''; // left to the engine (e.g. its bundled model cards)
      continue;
    }
    let text: string | null;
    try {
      text = readFile(inc.path);
    } catch {
      text = null;
    }
    if (text === null) {
      // Model cards shipped with the engine (modelcard.CMOS90, modelcard.ptm, ...) live in its file system.
      if (/^modelcard\.|\.ngspice$/i.test(inc.path)) continue;
      throw new InputError(file, inc.line, `cannot read included file '${inc.path}'`);
    }
    files[inc.path] = text;
    const sub = parseNetlist(text, inc.path, { isLibrary: true, lenient: true });
    resolveIncludes(sub, inc.path, readFile, files);
  }
  for (const k of Object.keys(files)) if (files[k] === '' && !readFile) delete files[k];
}

/* ----------------------------------------------------------------------------------------------- */

/** Parses a YAML or JSON problem file. */
export function parseProblem(text: string, fileName: string, readFile?: ReadFile): CircuitProblem {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new InputError(fileName, e.linePos?.[0]?.line ?? null, e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
  }
  const root = doc.toJS() as unknown;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new InputError(fileName, 1, 'a problem file is a mapping (YAML) or an object (JSON)');
  const r = root as Record<string, unknown>;
  const where = (path: (string | number)[]): number | null => {
    let node: unknown = doc.contents;
    let last: YamlNode | null = null;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(key));
        if (!pair) break;
        last = (pair.key as YamlNode) ?? last;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[key as number];
      } else break;
      if (node && typeof node === 'object' && 'range' in (node as object)) last = node as YamlNode;
    }
    const range = last?.range;
    return range ? lc.linePos(range[0]).line : null;
  };
  const known = new Set(['name', 'title', 'description', 'netlist', 'variables', 'fixed', 'analyses', 'measurements', 'constraints', 'targets', 'reference', 'update']);
  for (const k of Object.keys(r)) if (!known.has(k)) throw new InputError(fileName, where([k]), `unknown key '${k}' (known: ${[...known].join(', ')})`);

  // netlist: a file name, or the netlist text itself (anything with a newline)
  if (typeof r.netlist !== 'string' || r.netlist.trim() === '') throw new InputError(fileName, where(['netlist']) ?? 1, "'netlist' is required: a file name next to the problem, or the netlist text");
  let netlistText: string;
  let netlistFile: string;
  if (r.netlist.includes('\n')) {
    netlistText = r.netlist;
    netlistFile = `${fileName}#netlist`;
  } else {
    netlistFile = r.netlist.trim();
    if (!readFile) throw new InputError(fileName, where(['netlist']), `netlist '${netlistFile}' is a file but no file reader was given`);
    try {
      netlistText = readFile(netlistFile);
    } catch (e) {
      throw new InputError(fileName, where(['netlist']), `cannot read netlist '${netlistFile}': ${(e as Error).message}`);
    }
  }
  const parsed = parseNetlist(netlistText, netlistFile);
  const files: Record<string, string> = {};
  resolveIncludes(parsed, netlistFile, readFile, files);

  const variables: DesignVariable[] = [];
  if (!Array.isArray(r.variables) || r.variables.length === 0) throw new InputError(fileName, where(['variables']) ?? 1, "'variables' must list at least one design variable");
  r.variables.forEach((v, i) => {
    const line = where(['variables', i]);
    if (!v || typeof v !== 'object') throw new InputError(fileName, line, 'a design variable is {name, lo, hi, scale, unit, step?}');
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!['name', 'lo', 'hi', 'scale', 'unit', 'step'].includes(k)) throw new InputError(fileName, line, `design variable: unknown key '${k}'`);
    if (typeof o.name !== 'string' || !/^[a-z_][\w]*$/i.test(o.name)) throw new InputError(fileName, line, 'design variable needs a name (a .param of the netlist)');
    const scale = o.scale ?? 'lin';
    if (scale !== 'lin' && scale !== 'log') throw new InputError(fileName, line, `design variable '${o.name}': scale is 'lin' or 'log'`);
    variables.push({
      name: o.name,
      lo: num(o.lo, fileName, line, `${o.name}.lo`),
      hi: num(o.hi, fileName, line, `${o.name}.hi`),
      scale,
      unit: typeof o.unit === 'string' ? o.unit : '',
      ...(o.step !== undefined ? { step: num(o.step, fileName, line, `${o.name}.step`) } : {}),
    });
  });

  const fixed: Record<string, number> = {};
  if (r.fixed !== undefined) {
    if (!r.fixed || typeof r.fixed !== 'object' || Array.isArray(r.fixed)) throw new InputError(fileName, where(['fixed']), "'fixed' is a mapping name: value");
    for (const [k, v] of Object.entries(r.fixed)) fixed[k] = num(v, fileName, where(['fixed', k]), `fixed ${k}`);
  }

  let analyses: string[];
  if (r.analyses === undefined) analyses = parsed.analyses.map((a) => a.cmd);
  else {
    if (!Array.isArray(r.analyses)) throw new InputError(fileName, where(['analyses']), "'analyses' is a list of ngspice analysis commands (op, ac dec 100 1 1g, ...)");
    analyses = r.analyses.map((a, i) => {
      if (typeof a !== 'string') throw new InputError(fileName, where(['analyses', i]), 'an analysis is a command string such as "ac dec 100 1 1g"');
      return a.trim().replace(/^\./, '');
    });
  }

  const measurements: MeasureSpec[] = [];
  if (!Array.isArray(r.measurements) || r.measurements.length === 0) throw new InputError(fileName, where(['measurements']) ?? 1, "'measurements' must list at least one measurement");
  r.measurements.forEach((m, i) => {
    measurements.push(measureFromObject(m, fileName, where(['measurements', i])));
  });

  const constraints: Constraint[] = [];
  if (r.constraints !== undefined) {
    if (!Array.isArray(r.constraints)) throw new InputError(fileName, where(['constraints']), "'constraints' is a list");
    r.constraints.forEach((c, i) => constraints.push(constraintFrom(c, fileName, where(['constraints', i]))));
  }
  const targets: Target[] = [];
  if (r.targets !== undefined) {
    if (!Array.isArray(r.targets)) throw new InputError(fileName, where(['targets']), "'targets' is a list");
    r.targets.forEach((t, i) => targets.push(targetFrom(t, fileName, where(['targets', i]))));
  }
  if (constraints.length === 0 && targets.length === 0) throw new InputError(fileName, 1, 'a problem needs at least one constraint or target');

  let reference: ReferenceDesign | null = null;
  if (r.reference !== undefined && r.reference !== null) {
    const ro = r.reference as Record<string, unknown>;
    if (typeof ro !== 'object' || !ro.params || typeof ro.params !== 'object') throw new InputError(fileName, where(['reference']), "'reference' is {name, params: {...}, metrics?: {...}}");
    const params: Record<string, number> = {};
    for (const [k, v] of Object.entries(ro.params as object)) params[k] = num(v, fileName, where(['reference', 'params', k]), `reference ${k}`);
    let metrics: Record<string, number> | undefined;
    if (ro.metrics && typeof ro.metrics === 'object') {
      metrics = {};
      for (const [k, v] of Object.entries(ro.metrics as object)) metrics[k] = num(v, fileName, where(['reference', 'metrics', k]), `reference metric ${k}`);
    }
    reference = { name: typeof ro.name === 'string' ? ro.name : 'reference', params, ...(metrics ? { metrics } : {}) };
  }
  const update = r.update === undefined ? 'auto' : r.update;
  if (update !== 'auto' && update !== 'source') throw new InputError(fileName, where(['update']), "'update' is 'auto' (alter in place where possible) or 'source'");
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  const p: CircuitProblem = {
    name: typeof r.name === 'string' ? r.name : stem,
    title: typeof r.title === 'string' ? r.title : parsed.title || stem,
    description: typeof r.description === 'string' ? r.description : '',
    file: fileName,
    netlist: netlistText,
    netlistFile,
    files,
    variables,
    fixed,
    analyses,
    measurements,
    constraints,
    targets,
    reference,
    update,
  };
  return finish(p, parsed, where);
}

const MEASURE_KEYS = new Set(['name', 'kind', 'at', 'out', 'per', 'freq', 'db', 'dropDb', 'ref', 'supplies', 'which', 'fmin', 'fmax', 'tol', 'lo', 'hi', 'vector', 'expr', 'devices', 'marginV', 'areaPerOhm', 'areaPerFarad']);

function measureFromObject(m: unknown, file: string, line: number | null): MeasureSpec {
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new InputError(file, line, 'a measurement is {name, kind, ...}');
  const o = m as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!MEASURE_KEYS.has(k)) throw new InputError(file, line, `measurement: unknown key '${k}'`);
  if (typeof o.name !== 'string' || !/^[a-z_]\w*$/i.test(o.name)) throw new InputError(file, line, 'a measurement needs a name (letters, digits, _)');
  if (typeof o.kind !== 'string' || !(MEASURE_KINDS as readonly string[]).includes(o.kind))
    throw new InputError(file, line, `measurement '${o.name}': kind is one of ${MEASURE_KINDS.join(', ')}`);
  const spec: MeasureSpec = { name: o.name, kind: o.kind as MeasureKind, ...(line !== null ? { line } : {}) };
  const numKeys = ['per', 'freq', 'dropDb', 'fmin', 'fmax', 'tol', 'lo', 'hi', 'marginV', 'areaPerOhm', 'areaPerFarad'] as const;
  for (const k of numKeys) if (o[k] !== undefined) spec[k] = num(o[k], file, line, `${o.name}.${k}`);
  for (const k of ['out', 'vector', 'expr', 'at'] as const) {
    if (o[k] !== undefined) {
      if (typeof o[k] !== 'string') throw new InputError(file, line, `${o.name}.${k} must be a string`);
      spec[k] = o[k] as string;
    }
  }
  if (o.db !== undefined) spec.db = o.db === true || o.db === 'true';
  if (o.ref !== undefined) {
    if (o.ref !== 'max' && o.ref !== 'lf') throw new InputError(file, line, `${o.name}.ref is 'max' or 'lf'`);
    spec.ref = o.ref;
  }
  if (o.which !== undefined) {
    if (o.which !== 'input' && o.which !== 'output') throw new InputError(file, line, `${o.name}.which is 'input' or 'output'`);
    spec.which = o.which;
  }
  for (const k of ['supplies', 'devices'] as const) {
    if (o[k] !== undefined) {
      const v = typeof o[k] === 'string' ? (o[k] as string).split(/[\s,]+/).filter(Boolean) : o[k];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new InputError(file, line, `${o.name}.${k} is a list of names`);
      spec[k] = v as string[];
    }
  }
  return spec;
}

function constraintFrom(c: unknown, file: string, line: number | null): Constraint {
  if (typeof c === 'string') {
    const m = /^\s*([a-z_]\w*)\s*(>=|<=)\s*(\S+)\s*(lin|log)?\s*$/i.exec(c);
    if (!m) throw new InputError(file, line, `constraint '${c}': write "metric >= value" or "metric <= value" (optionally followed by lin|log)`);
    return { metric: m[1], op: m[2] as '>=' | '<=', value: num(m[3], file, line, 'constraint value'), scale: (m[4]?.toLowerCase() as Scale) ?? 'lin' };
  }
  if (!c || typeof c !== 'object') throw new InputError(file, line, 'a constraint is {metric, op, value, scale?} or "metric >= value"');
  const o = c as Record<string, unknown>;
  if (typeof o.metric !== 'string') throw new InputError(file, line, 'constraint needs a metric');
  if (o.op !== '>=' && o.op !== '<=') throw new InputError(file, line, `constraint on '${o.metric}': op is '>=' or '<='`);
  const scale = o.scale ?? 'lin';
  if (scale !== 'lin' && scale !== 'log') throw new InputError(file, line, `constraint on '${o.metric}': scale is 'lin' or 'log'`);
  return { metric: o.metric, op: o.op, value: num(o.value, file, line, `constraint ${o.metric}`), scale };
}

function targetFrom(t: unknown, file: string, line: number | null): Target {
  if (typeof t === 'string') {
    const m = /^\s*(min|max)(?:imise|imize)?\s+([a-z_]\w*)\s*(?:ref\s*=\s*(\S+))?\s*$/i.exec(t);
    if (!m) throw new InputError(file, line, `target '${t}': write "min metric" or "max metric" (optionally "ref=value")`);
    return { metric: m[2], sense: m[1].toLowerCase() as 'min' | 'max', ...(m[3] ? { ref: num(m[3], file, line, 'target ref') } : {}) };
  }
  if (!t || typeof t !== 'object') throw new InputError(file, line, 'a target is {metric, sense, ref?}');
  const o = t as Record<string, unknown>;
  if (typeof o.metric !== 'string') throw new InputError(file, line, 'target needs a metric');
  if (o.sense !== 'min' && o.sense !== 'max') throw new InputError(file, line, `target '${o.metric}': sense is 'min' or 'max'`);
  return { metric: o.metric, sense: o.sense, ...(o.ref !== undefined ? { ref: num(o.ref, file, line, `target ${o.metric} ref`) } : {}) };
}

/* ----------------------------------------------------------------------------------------------- */

/**
 * Reads a netlist annotated with comment lines:
 *     * @var W1 lo=2u hi=15u [scale=lin|log] [unit=m] [step=0.1u]
 *     * @measure gain max_gain out=v(vouta,voutb)      (key=value as in the problem format)
 *     * @spec gain >= 20236 [log]
 *     * @target min power [ref=1.3694m]
 *     * @ref W1=12u WL1=2u ...                        (reference design; may repeat)
 *     * @fixed L1=1u
 *     * @title ... / * @name ...
 * Analyses are the netlist's own `.op/.ac/.tran/.noise` lines.
 */
export function parseAnnotatedNetlist(text: string, fileName: string, readFile?: ReadFile): CircuitProblem {
  const parsed = parseNetlist(text, fileName);
  const files: Record<string, string> = {};
  resolveIncludes(parsed, fileName, readFile, files);
  const variables: DesignVariable[] = [];
  const measurements: MeasureSpec[] = [];
  const constraints: Constraint[] = [];
  const targets: Target[] = [];
  const fixed: Record<string, number> = {};
  const refParams: Record<string, number> = {};
  let title = parsed.title.replace(/^\*\s*/, '');
  let name = fileName.replace(/^.*[\\/]/, '').replace(/\.\w+$/, '');
  const lineOf = new Map<string, number>();
  for (const l of parsed.lines) {
    if (l.kind !== 'comment') continue;
    const m = /^\*\s*@(\w+)\s*(.*)$/.exec(l.text.trim());
    if (!m) continue;
    const tag = m[1].toLowerCase();
    const rest = m[2].trim();
    const kv = (toks: string[]): Record<string, string> => {
      const o: Record<string, string> = {};
      for (const t of toks) {
        const e = t.indexOf('=');
        if (e <= 0) throw new InputError(fileName, l.line, `@${tag}: expected key=value, got '${t}'`);
        o[t.slice(0, e)] = unquote(t.slice(e + 1));
      }
      return o;
    };
    if (tag === 'var') {
      const toks = tokenizeLine(rest);
      if (toks.length < 1) throw new InputError(fileName, l.line, '@var needs a name: * @var W1 lo=2u hi=15u');
      const o = kv(toks.slice(1));
      for (const k of Object.keys(o)) if (!['lo', 'hi', 'scale', 'unit', 'step'].includes(k)) throw new InputError(fileName, l.line, `@var: unknown key '${k}'`);
      if (o.lo === undefined || o.hi === undefined) throw new InputError(fileName, l.line, `@var ${toks[0]} needs lo= and hi=`);
      const scale = o.scale ?? 'lin';
      if (scale !== 'lin' && scale !== 'log') throw new InputError(fileName, l.line, `@var ${toks[0]}: scale is lin or log`);
      variables.push({
        name: toks[0],
        lo: num(o.lo, fileName, l.line, 'lo'),
        hi: num(o.hi, fileName, l.line, 'hi'),
        scale,
        unit: o.unit ?? '',
        ...(o.step !== undefined ? { step: num(o.step, fileName, l.line, 'step') } : {}),
      });
      lineOf.set(`variables.${variables.length - 1}`, l.line);
    } else if (tag === 'measure' || tag === 'meas') {
      const toks = tokenizeLine(rest);
      if (toks.length < 2) throw new InputError(fileName, l.line, '@measure needs a name and a kind: * @measure gain max_gain out=v(out)');
      const o: Record<string, unknown> = { name: toks[0], kind: toks[1], ...kv(toks.slice(2)) };
      measurements.push(measureFromObject(o, fileName, l.line));
    } else if (tag === 'spec' || tag === 'constraint') {
      constraints.push(constraintFrom(rest, fileName, l.line));
      lineOf.set(`constraints.${constraints.length - 1}`, l.line);
    } else if (tag === 'target') {
      targets.push(targetFrom(rest, fileName, l.line));
      lineOf.set(`targets.${targets.length - 1}`, l.line);
    } else if (tag === 'ref') {
      for (const a of parseAssignments(rest, fileName, l.line)) {
        const key = variables.find((v) => v.name.toLowerCase() === a.name)?.name ?? a.name;
        refParams[key] = num(a.expr, fileName, l.line, `@ref ${a.name}`);
        lineOf.set(`reference.params.${key}`, l.line);
      }
    } else if (tag === 'fixed') {
      for (const a of parseAssignments(rest, fileName, l.line)) {
        fixed[a.name] = num(a.expr, fileName, l.line, `@fixed ${a.name}`);
        lineOf.set(`fixed.${a.name}`, l.line);
      }
    } else if (tag === 'title') title = rest;
    else if (tag === 'name') name = rest;
    else throw new InputError(fileName, l.line, `unknown annotation '@${tag}' (var, measure, spec, target, ref, fixed, title, name)`);
  }
  if (variables.length === 0) throw new InputError(fileName, 1, 'no design variables: add lines such as "* @var W1 lo=2u hi=15u"');
  if (measurements.length === 0) throw new InputError(fileName, 1, 'no measurements: add lines such as "* @measure gain max_gain out=v(out)"');
  if (constraints.length === 0 && targets.length === 0) throw new InputError(fileName, 1, 'no specs: add "* @spec gain >= 1000" or "* @target min power" lines');
  // reference names as declared by @var
  const reference = Object.keys(refParams).length > 0 ? { name: 'reference', params: refParams } : null;
  const p: CircuitProblem = {
    name,
    title,
    description: '',
    file: fileName,
    netlist: text,
    netlistFile: fileName,
    files,
    variables,
    fixed,
    analyses: parsed.analyses.map((a) => a.cmd),
    measurements,
    constraints,
    targets,
    reference,
    update: 'auto',
  };
  return finish(p, parsed, (path) => lineOf.get(path.join('.')) ?? (path[0] === 'analyses' ? 1 : null));
}

/** True when a text looks like an annotated netlist rather than a YAML/JSON problem file. */
export function looksLikeAnnotatedNetlist(text: string): boolean {
  return /^\s*\*\s*@var\b/m.test(text);
}

/** Parses either kind of problem file. */
export function parseAnyProblem(text: string, fileName: string, readFile?: ReadFile): CircuitProblem {
  if (/\.(ya?ml|json)$/i.test(fileName) || !looksLikeAnnotatedNetlist(text)) {
    if (/\.(cir|sp|spi|spice|net|ckt)$/i.test(fileName) && !/\.(ya?ml|json)$/i.test(fileName)) return parseAnnotatedNetlist(text, fileName, readFile);
    return parseProblem(text, fileName, readFile);
  }
  return parseAnnotatedNetlist(text, fileName, readFile);
}

/** Clamps/rounds a design to the problem's bounds and grid. */
export function snapParams(problem: CircuitProblem, params: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of problem.variables) {
    let x = params[v.name];
    if (x === undefined || !Number.isFinite(x)) x = v.init ?? (v.scale === 'log' ? Math.sqrt(v.lo * v.hi) : (v.lo + v.hi) / 2);
    x = Math.min(v.hi, Math.max(v.lo, x));
    // grid values without binary noise (2u + 80 * 0.1u is 10u, not 9.999999999999999u)
    if (v.step) x = Math.min(v.hi, Number((v.lo + Math.round((x - v.lo) / v.step) * v.step).toPrecision(12)));
    out[v.name] = x;
  }
  return out;
}
