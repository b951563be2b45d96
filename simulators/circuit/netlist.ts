/**
 * A light SPICE netlist reader (ngspice dialect): logical lines (continuations joined, original line
 * numbers kept), `.param` definitions, `.model` cards, includes, analyses and element instances with
 * their nodes and `key=value` parameters. It is not a simulator front end: ngspice parses the netlist
 * for real; this model serves the problem checks, `alter` in place, areas, exports and the schematic.
 */
import { InputError } from '../errors.ts';

export interface LogicalLine {
  /** 1-based line number of the first physical line. */
  line: number;
  /** Joined text (continuations merged with a space), comments kept as they are. */
  text: string;
  kind: 'title' | 'blank' | 'comment' | 'dot' | 'element' | 'control';
}

export interface ParamDef {
  name: string; // lower-case
  expr: string;
  line: number;
  /** Index in `lines`. */
  index: number;
}

export interface DeviceDef {
  /** Instance name as written (e.g. `m1a`), lower-case. */
  name: string;
  letter: string;
  nodes: string[];
  /** Model name (M, Q, D, X: subcircuit name) or null. */
  model: string | null;
  /** Value token of R, C, L, V, I (may be an expression), or null. */
  value: string | null;
  /** Instance parameters, keys lower-case, values as written (quotes/braces stripped). */
  params: Record<string, string>;
  line: number;
  index: number;
  /** Enclosing subcircuit definition, or null at top level. */
  subckt: string | null;
}

export interface ModelDef {
  name: string; // lower-case
  type: string; // nmos, pmos, npn, pnp, d, r, c, ...
  level: number | null;
  line: number;
  file: string;
}

export interface IncludeRef {
  kind: 'include' | 'lib';
  path: string;
  section: string | null;
  line: number;
  index: number;
}

export interface ParsedNetlist {
  file: string;
  title: string;
  lines: LogicalLine[];
  params: ParamDef[];
  devices: DeviceDef[];
  models: ModelDef[];
  includes: IncludeRef[];
  /** Analysis commands from dot lines, without the dot (`ac dec 10 1 1g`, `op`, `noise ...`). */
  analyses: { cmd: string; line: number }[];
  /** `.subckt name nodes...` definitions. */
  subckts: { name: string; ports: string[]; line: number }[];
}

const ANALYSES = new Set(['op', 'ac', 'dc', 'tran', 'noise', 'tf', 'pz', 'sens', 'disto']);

/** Splits a line into tokens, keeping quoted `'...'` and `{...}` expressions whole and `k = v` as `k=v`. */
export function tokenizeLine(text: string): string[] {
  const raw: string[] = [];
  let i = 0;
  let cur = '';
  const push = () => {
    if (cur !== '') raw.push(cur);
    cur = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '{' || c === '"') {
      const close = c === '{' ? '}' : c;
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (c === '{' && text[j] === '{') depth++;
        else if (text[j] === close && (c !== '{' || --depth === 0) && j > i) break;
      }
      cur += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '(') {
      // keep parenthesised groups together: sin(0 1 1meg), v(a,b)
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      cur += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === ',') {
      push();
      i++;
      continue;
    }
    if (c === '=') {
      push();
      raw.push('=');
      i++;
      continue;
    }
    cur += c;
    i++;
  }
  push();
  // merge k = v
  const out: string[] = [];
  for (let k = 0; k < raw.length; k++) {
    if (raw[k] === '=' && out.length > 0 && k + 1 < raw.length) {
      out[out.length - 1] = `${out[out.length - 1]}=${raw[k + 1]}`;
      k++;
    } else if (raw[k] !== '=') out.push(raw[k]);
  }
  return out;
}

/** Strips one level of quotes or braces around an expression. */
export function unquote(s: string): string {
  const t = s.trim();
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) return t.slice(1, -1).trim();
  if (t.startsWith('{') && t.endsWith('}')) return t.slice(1, -1).trim();
  return t;
}

/** Removes an inline comment (`;`, `$ ` or ` //`) outside quotes. */
function stripInline(text: string): string {
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === q) q = null;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === ';') return text.slice(0, i);
    else if (c === '$' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) return text.slice(0, i);
    else if (c === '/' && text[i + 1] === '/' && (i === 0 || text[i - 1] === ' ')) return text.slice(0, i);
  }
  return text;
}

export function logicalLines(text: string): LogicalLine[] {
  const phys = text.replace(/\r\n?/g, '\n').split('\n');
  const out: LogicalLine[] = [];
  let inControl = false;
  phys.forEach((raw, i) => {
    const lineNo = i + 1;
    if (i === 0) {
      out.push({ line: 1, text: raw, kind: 'title' });
      return;
    }
    const t = raw.trim();
    if (inControl) {
      out.push({ line: lineNo, text: raw, kind: 'control' });
      if (/^\.endc\b/i.test(t)) inControl = false;
      return;
    }
    if (/^\.control\b/i.test(t)) {
      inControl = true;
      out.push({ line: lineNo, text: raw, kind: 'control' });
      return;
    }
    if (t.startsWith('+')) {
      // continuation of the last non-comment line
      for (let k = out.length - 1; k >= 0; k--) {
        const l = out[k];
        if (l.kind === 'dot' || l.kind === 'element') {
          l.text = `${stripInline(l.text)} ${stripInline(t.slice(1))}`;
          return;
        }
        if (l.kind !== 'comment' && l.kind !== 'blank') break;
      }
      out.push({ line: lineNo, text: raw, kind: 'comment' });
      return;
    }
    if (t === '') out.push({ line: lineNo, text: raw, kind: 'blank' });
    else if (t.startsWith('*')) out.push({ line: lineNo, text: raw, kind: 'comment' });
    else if (t.startsWith('.')) out.push({ line: lineNo, text: raw, kind: 'dot' });
    else out.push({ line: lineNo, text: raw, kind: 'element' });
  });
  return out;
}

/** Parses `name=value` assignments of a `.param` line (after the keyword). */
export function parseAssignments(rest: string, file: string, line: number): { name: string; expr: string; orig: string }[] {
  const toks = tokenizeLine(rest);
  return toks.map((tok) => {
    const eq = tok.indexOf('=');
    if (eq <= 0) throw new InputError(file, line, `expected name=value in .param, got '${tok}'`);
    return { name: tok.slice(0, eq).toLowerCase(), expr: unquote(tok.slice(eq + 1)), orig: tok.slice(0, eq) };
  });
}

const NODE_COUNT: Record<string, number> = { r: 2, c: 2, l: 2, v: 2, i: 2, d: 2, m: 4, e: 4, g: 4, f: 2, h: 2, b: 2, j: 3, z: 3, s: 4, w: 2, t: 4 };

/** Parses a netlist text. Throws InputError on lines it cannot make sense of. */
export function parseNetlist(text: string, file: string, opts: { isLibrary?: boolean; lenient?: boolean } = {}): ParsedNetlist {
  const lines = logicalLines(opts.isLibrary ? `* library ${file}\n${text}` : text);
  if (opts.isLibrary) {
    for (const l of lines) l.line -= 1;
    lines[0].kind = 'comment';
  }
  const res: ParsedNetlist = {
    file,
    title: opts.isLibrary ? '' : (lines[0]?.text ?? '').trim(),
    lines,
    params: [],
    devices: [],
    models: [],
    includes: [],
    analyses: [],
    subckts: [],
  };
  let subckt: string | null = null;
  lines.forEach((l, index) => {
    if (l.kind === 'dot') {
      const body = stripInline(l.text).trim();
      const m = /^\.(\w+)\s*(.*)$/s.exec(body);
      if (!m) return;
      const kw = m[1].toLowerCase();
      const rest = m[2];
      if (kw === 'param' || kw === 'params') {
        for (const a of parseAssignments(rest, file, l.line)) res.params.push({ name: a.name, expr: a.expr, line: l.line, index });
      } else if (kw === 'model') {
        const toks = tokenizeLine(rest.replace(/[()]/g, ' '));
        if (toks.length < 2) throw new InputError(file, l.line, '.model needs a name and a type');
        const lv = toks.find((t) => /^level=/i.test(t));
        res.models.push({
          name: toks[0].toLowerCase(),
          type: toks[1].toLowerCase(),
          level: lv ? Number(unquote(lv.slice(6))) : null,
          line: l.line,
          file,
        });
      } else if (kw === 'include' || kw === 'inc') {
        const p = unquote(rest.trim());
        if (!p) throw new InputError(file, l.line, '.include needs a file name');
        res.includes.push({ kind: 'include', path: p, section: null, line: l.line, index });
      } else if (kw === 'lib') {
        const toks = tokenizeLine(rest);
        if (toks.length >= 2) res.includes.push({ kind: 'lib', path: unquote(toks[0]), section: toks[1], line: l.line, index });
      } else if (kw === 'subckt') {
        const toks = tokenizeLine(rest).filter((t) => !t.includes('='));
        if (toks.length < 1) throw new InputError(file, l.line, '.subckt needs a name');
        subckt = toks[0].toLowerCase();
        res.subckts.push({ name: subckt, ports: toks.slice(1).map((t) => t.toLowerCase()), line: l.line });
      } else if (kw === 'ends') {
        subckt = null;
      } else if (ANALYSES.has(kw) && subckt === null) {
        res.analyses.push({ cmd: `${kw} ${rest}`.trim(), line: l.line });
      }
      return;
    }
    if (l.kind !== 'element') return;
    try {
      parseElement(l, index);
    } catch (e) {
      if (!opts.lenient) throw e;
    }
  });
  function parseElement(l: LogicalLine, index: number): void {
    const toks = tokenizeLine(stripInline(l.text).trim());
    if (toks.length === 0) return;
    const name = toks[0].toLowerCase();
    const letter = name[0];
    const positional = toks.slice(1).filter((t) => !/^[a-z_][\w.]*=/i.test(t));
    const params: Record<string, string> = {};
    for (const t of toks.slice(1)) {
      const m = /^([a-z_][\w.]*)=(.*)$/is.exec(t);
      if (m) params[m[1].toLowerCase()] = unquote(m[2]);
    }
    let nodes: string[];
    let model: string | null = null;
    let value: string | null = null;
    if (letter === 'x') {
      if (positional.length < 1) throw new InputError(file, l.line, `subcircuit call '${toks[0]}' needs a subcircuit name`);
      nodes = positional.slice(0, -1);
      model = positional[positional.length - 1].toLowerCase();
    } else if (letter === 'q') {
      // 3 or 4 nodes, then the model: the model is the last positional token
      if (positional.length < 4) throw new InputError(file, l.line, `bipolar '${toks[0]}' needs 3 nodes and a model`);
      const last = positional.length >= 5 && !/^[\d.]/.test(positional[4]) ? 4 : 3;
      nodes = positional.slice(0, last);
      model = positional[last].toLowerCase();
    } else if (letter in NODE_COUNT) {
      const n = NODE_COUNT[letter];
      if (positional.length < n) throw new InputError(file, l.line, `element '${toks[0]}' needs ${n} nodes`);
      nodes = positional.slice(0, n);
      const next = positional[n];
      if (letter === 'm' || letter === 'd' || letter === 'j' || letter === 'z') {
        if (next === undefined) throw new InputError(file, l.line, `device '${toks[0]}' needs a model name`);
        model = next.toLowerCase();
      } else if (next !== undefined) {
        value = unquote(letter === 'v' || letter === 'i' ? positional.slice(n).join(' ') : next);
        if ((letter === 'r' || letter === 'c' || letter === 'l') && params[letter] !== undefined) value = params[letter];
        if (letter === 'r' || letter === 'c' || letter === 'l') {
          // resistor/capacitor with a model: `r1 a b rmod 1k` or `c1 a b cmod c=1p`
          if (positional[n + 1] !== undefined && /^[a-z_]/i.test(next) && !/^[a-z_]\w*\s*[*+/-]/i.test(next)) {
            model = next.toLowerCase();
            value = unquote(positional[n + 1]);
          }
        }
      } else if (letter === 'r' || letter === 'c' || letter === 'l') {
        value = params[letter] ?? params.value ?? null;
      }
    } else {
      nodes = positional.slice(0, 2);
    }
    res.devices.push({ name, letter, nodes: nodes.map((x) => x.toLowerCase()), model, value, params, line: l.line, index, subckt });
  }
  return res;
}

/** Logical lines back to text (continuations already joined). */
export function renderLines(lines: readonly LogicalLine[]): string {
  return lines.map((l) => l.text).join('\n') + '\n';
}
