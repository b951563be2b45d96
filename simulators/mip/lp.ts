/**
 * CPLEX LP format reader and writer (linear MIPs).
 *
 * Sections (keywords case-insensitive, at the start of a line): Maximize/Minimize (and their
 * spellings max, maximum, maximise, ...), Subject To (st, s.t., such that), Bounds, Generals
 * (general, gen, integers), Binaries (binary, bin), End. `\` starts a comment. Constraints are
 * `[name:] expr op constant` or ranged `[name:] constant op expr op constant`; bounds are
 * `x op v`, `v op x`, `v op x op w`, `x free`; infinity is `inf`/`infinity` or any |v| >= 1e30.
 * Quadratic terms, SOS, semi-continuous and lazy-constraint sections are rejected with their line.
 * Variables default to [0, +inf); binaries get [0, 1].
 */
import { InputError } from '../errors.ts';
import { ModelBuilder, type MipModel, numCols, numRows } from './model.ts';

type TokKind = 'num' | 'name' | 'op' | 'sign' | 'colon' | 'other';
interface Tok {
  kind: TokKind;
  text: string;
  value: number;
  line: number;
}

type LpSection = 'objective' | 'constraints' | 'bounds' | 'generals' | 'binaries' | 'end';

const SECTION_WORDS: [RegExp, LpSection | 'max' | 'min' | 'unsupported'][] = [
  [/^(maximize|maximise|maximum|max)$/i, 'max'],
  [/^(minimize|minimise|minimum|min)$/i, 'min'],
  [/^(subject\s+to|such\s+that|st|s\.t\.)$/i, 'constraints'],
  [/^(bounds|bound)$/i, 'bounds'],
  [/^(generals|general|gen|integers|integer)$/i, 'generals'],
  [/^(binaries|binary|bin)$/i, 'binaries'],
  [/^end$/i, 'end'],
  [/^(semi-continuous|semi-continuous|semis|semi|sos|sos1|sos2|lazy\s+constraints|user\s+cuts)$/i, 'unsupported'],
];

function sectionOf(line: string): { section: LpSection | 'max' | 'min' | 'unsupported'; rest: string } | null {
  const t = line.trim();
  // Try the longest prefixes first: two words, then one word.
  const m2 = /^(\S+\s+\S+)(\s+(.*))?$/.exec(t);
  if (m2) {
    for (const [re, s] of SECTION_WORDS) if (re.test(m2[1])) return { section: s, rest: m2[3] ?? '' };
  }
  const m1 = /^(\S+)(\s+(.*))?$/.exec(t);
  if (m1) {
    for (const [re, s] of SECTION_WORDS) if (re.test(m1[1])) return { section: s, rest: m1[3] ?? '' };
  }
  return null;
}

const NAME_START = /[A-Za-z_!"#$%&()/,;?@`'{}|~]/;
const NAME_CHAR = /[A-Za-z0-9_!"#$%&()/,.;?@`'{}|~]/;

function tokenize(text: string, line: number, fileName: string, out: Tok[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '<' || c === '>' || c === '=') {
      let op = c;
      if (text[i + 1] === '=' || (c === '=' && (text[i + 1] === '<' || text[i + 1] === '>'))) {
        op += text[i + 1];
        i++;
      }
      i++;
      const norm = op === '<' || op === '<=' || op === '=<' ? '<=' : op === '>' || op === '>=' || op === '=>' ? '>=' : '=';
      out.push({ kind: 'op', text: norm, value: 0, line });
      continue;
    }
    if (c === '+' || c === '-') {
      out.push({ kind: 'sign', text: c, value: c === '-' ? -1 : 1, line });
      i++;
      continue;
    }
    if (c === ':') {
      out.push({ kind: 'colon', text: c, value: 0, line });
      i++;
      continue;
    }
    if (c === '[' || c === ']' || c === '^' || c === '*') {
      throw new InputError(fileName, line, `"${c}": quadratic terms are not supported (linear MIPs only)`);
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ kind: 'num', text: num[0], value: Number(num[0]), line });
      i += num[0].length;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j])) j++;
      const name = text.slice(i, j);
      if (/^inf(inity)?$/i.test(name)) out.push({ kind: 'num', text: name, value: Infinity, line });
      else out.push({ kind: 'name', text: name, value: 0, line });
      i = j;
      continue;
    }
    throw new InputError(fileName, line, `unexpected character "${c}"`);
  }
}

interface Linear {
  terms: Map<string, number>;
  constant: number;
  order: string[];
}

export function parseLp(text: string, fileName: string): MipModel {
  const b = new ModelBuilder();
  const tokens: Record<LpSection, Tok[]> = { objective: [], constraints: [], bounds: [], generals: [], binaries: [], end: [] };
  let section: LpSection | null = null;
  let sawObjective = false;
  let lastLine = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    const bs = line.indexOf('\\');
    if (bs >= 0) line = line.slice(0, bs);
    if (line.trim() === '') continue;
    lastLine = lineNo;
    const s = sectionOf(line);
    if (s) {
      if (s.section === 'unsupported') throw new InputError(fileName, lineNo, `section "${line.trim()}" is not supported (linear MIPs only)`);
      if (s.section === 'max' || s.section === 'min') {
        if (sawObjective) throw new InputError(fileName, lineNo, 'a second objective section');
        b.sense = s.section;
        sawObjective = true;
        section = 'objective';
      } else {
        if (!sawObjective) throw new InputError(fileName, lineNo, 'not an LP file: the objective section (Minimize/Maximize) must come first');
        section = s.section;
        if (section === 'end') break;
      }
      line = s.rest;
      if (line.trim() === '') continue;
    }
    if (section === null) throw new InputError(fileName, lineNo, 'not an LP file: expected Minimize or Maximize');
    tokenize(line, lineNo, fileName, tokens[section]);
  }
  if (!sawObjective) throw new InputError(fileName, null, 'not an LP file: no Minimize/Maximize section');
  if (section !== 'end') throw new InputError(fileName, lastLine, 'missing End line (file truncated?)');

  const fail = (t: Tok | undefined, msg: string): never => {
    throw new InputError(fileName, t ? t.line : lastLine, msg);
  };

  // Objective: [name:] expression
  {
    const ts = tokens.objective;
    let p = 0;
    if (ts.length >= 2 && ts[0].kind === 'name' && ts[1].kind === 'colon') p = 2;
    const { lin, next } = parseLinear(ts, p, fail);
    if (next < ts.length) fail(ts[next], `unexpected "${ts[next].text}" in the objective`);
    for (const v of lin.order) b.colCost[b.addCol(v)] += lin.terms.get(v)!;
    b.objOffset = lin.constant;
  }

  // Constraints
  {
    const ts = tokens.constraints;
    let p = 0;
    let count = 0;
    while (p < ts.length) {
      const first = ts[p];
      let name = '';
      if (ts[p].kind === 'name' && ts[p + 1]?.kind === 'colon') {
        name = ts[p].text;
        p += 2;
      }
      count++;
      if (!name) name = `R${count}`;
      if (b.row(name) !== undefined) fail(first, `constraint "${name}" is defined twice`);
      const left = parseLinear(ts, p, fail);
      p = left.next;
      const op1 = ts[p];
      if (!op1 || op1.kind !== 'op') fail(op1 ?? first, `constraint "${name}" has no comparison operator`);
      p++;
      let lo = -Infinity;
      let up = Infinity;
      let lin: Linear;
      if (left.lin.order.length === 0) {
        // constant op expr [op constant]
        const mid = parseLinear(ts, p, fail);
        p = mid.next;
        lin = mid.lin;
        const c = left.lin.constant - mid.lin.constant;
        if (op1.text === '<=') lo = c;
        else if (op1.text === '>=') up = c;
        else lo = up = c;
        if (ts[p]?.kind === 'op') {
          const op2 = ts[p++];
          const r = parseConstant(ts, p, fail);
          p = r.next;
          const v = r.value - mid.lin.constant;
          if (op2.text === '<=') up = Math.min(up, v);
          else if (op2.text === '>=') lo = Math.max(lo, v);
          else lo = up = v;
        }
      } else {
        lin = left.lin;
        const r = parseConstant(ts, p, fail);
        p = r.next;
        const v = r.value - left.lin.constant;
        if (op1.text === '<=') up = v;
        else if (op1.text === '>=') lo = v;
        else lo = up = v;
      }
      const row = b.addRow(name, lo, up);
      for (const v of lin.order) b.addCoef(row, b.addCol(v), lin.terms.get(v)!);
    }
  }

  // Bounds
  {
    const ts = tokens.bounds;
    let p = 0;
    const colOf = (t: Tok) => b.addCol(t.text);
    while (p < ts.length) {
      const t = ts[p];
      if (t.kind === 'name') {
        const j = colOf(t);
        p++;
        const nx = ts[p];
        if (nx?.kind === 'name' && /^free$/i.test(nx.text)) {
          b.colLower[j] = -Infinity;
          b.colUpper[j] = Infinity;
          p++;
          continue;
        }
        if (!nx || nx.kind !== 'op') fail(nx ?? t, `bound on "${t.text}" needs an operator or "free"`);
        p++;
        const r = parseConstant(ts, p, fail);
        p = r.next;
        setBound(j, nx.text, r.value, false);
      } else if (t.kind === 'num' || t.kind === 'sign') {
        const r = parseConstant(ts, p, fail);
        p = r.next;
        const op = ts[p];
        if (!op || op.kind !== 'op') fail(op ?? t, 'a bound needs an operator');
        p++;
        const v = ts[p];
        if (!v || v.kind !== 'name') fail(v ?? op, 'a bound needs a variable name');
        const j = colOf(v);
        p++;
        setBound(j, op.text, r.value, true);
        if (ts[p]?.kind === 'op') {
          const op2 = ts[p++];
          const r2 = parseConstant(ts, p, fail);
          p = r2.next;
          setBound(j, op2.text, r2.value, false);
        }
      } else fail(t, `unexpected "${t.text}" in Bounds`);
    }
  }

  for (const t of tokens.generals) {
    if (t.kind !== 'name') fail(t, `"${t.text}" is not a variable name (Generals)`);
    b.colInteger[b.addCol(t.text)] = 1;
  }
  for (const t of tokens.binaries) {
    if (t.kind !== 'name') fail(t, `"${t.text}" is not a variable name (Binaries)`);
    const j = b.addCol(t.text);
    b.colInteger[j] = 1;
    b.colLower[j] = Math.max(b.colLower[j], 0);
    b.colUpper[j] = Math.min(b.colUpper[j], 1);
  }
  return b.build();

  /** `x op v` (valueOnLeft=false) or `v op x` (true). */
  function setBound(j: number, op: string, v: number, valueOnLeft: boolean): void {
    const o = valueOnLeft ? (op === '<=' ? '>=' : op === '>=' ? '<=' : '=') : op;
    if (o === '<=') b.colUpper[j] = v;
    else if (o === '>=') b.colLower[j] = v;
    else b.colLower[j] = b.colUpper[j] = v;
  }
}

function parseConstant(ts: Tok[], p: number, fail: (t: Tok | undefined, m: string) => never): { value: number; next: number } {
  let sign = 1;
  while (ts[p]?.kind === 'sign') sign *= ts[p++].value;
  const t = ts[p];
  if (!t || t.kind !== 'num') return fail(t ?? ts[p - 1], `expected a number${t ? `, found "${t.text}"` : ''}`);
  let v = sign * t.value;
  if (Math.abs(v) >= 1e30) v = v > 0 ? Infinity : -Infinity;
  return { value: v, next: p + 1 };
}

/** Reads terms `[sign] [number] name` and constants until an operator, a `name:` label or the end. */
function parseLinear(ts: Tok[], p: number, fail: (t: Tok | undefined, m: string) => never): { lin: Linear; next: number } {
  const lin: Linear = { terms: new Map(), constant: 0, order: [] };
  let first = true;
  while (p < ts.length) {
    const t = ts[p];
    if (t.kind === 'op') break;
    if (t.kind === 'name' && ts[p + 1]?.kind === 'colon') break; // next constraint's label
    let sign = 1;
    let q = p;
    let sawSign = false;
    while (ts[q]?.kind === 'sign') {
      sign *= ts[q++].value;
      sawSign = true;
    }
    if (!sawSign && !first) break; // a new term must start with a sign (else: next unnamed constraint)
    let coef = 1;
    let hasNum = false;
    if (ts[q]?.kind === 'num') {
      coef = ts[q].value;
      hasNum = true;
      q++;
    }
    const nm = ts[q];
    if (nm?.kind === 'name' && ts[q + 1]?.kind !== 'colon') {
      const c = sign * coef;
      if (!lin.terms.has(nm.text)) lin.order.push(nm.text);
      lin.terms.set(nm.text, (lin.terms.get(nm.text) ?? 0) + c);
      q++;
    } else if (hasNum) {
      lin.constant += sign * coef;
    } else return fail(ts[q] ?? t, `expected a term${ts[q] ? `, found "${ts[q].text}"` : ''}`);
    p = q;
    first = false;
  }
  return { lin, next: p };
}

function fmtNum(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

function fmtLinear(names: string[], idx: ArrayLike<number>, val: ArrayLike<number>, from: number, to: number): string {
  const parts: string[] = [];
  for (let k = from; k < to; k++) {
    const v = val[k];
    if (v === 0) continue;
    parts.push(`${v < 0 ? '-' : '+'} ${Math.abs(v)} ${names[idx[k]]}`);
  }
  if (parts.length === 0) return '0 ' + (names[0] ?? 'x');
  return parts.join(' ');
}

/** CPLEX LP text of a model. Column names must be valid LP names (MPS names usually are). */
export function writeLp(m: MipModel): string {
  const out: string[] = [];
  out.push(`\\ ${m.name || 'model'} written by Optiloop`);
  out.push(m.sense === 'max' ? 'Maximize' : 'Minimize');
  const n = numCols(m);
  // Every column appears in the objective (zero costs included) so that a reader keeps the column order.
  const objParts: string[] = [];
  for (let j = 0; j < n; j++) {
    const v = m.colCost[j];
    objParts.push(`${v < 0 ? '-' : '+'} ${Math.abs(v)} ${m.colNames[j]}`);
  }
  if (m.objOffset !== 0) objParts.push(`${m.objOffset < 0 ? '-' : '+'} ${Math.abs(m.objOffset)}`);
  const objLines: string[] = [];
  for (let i = 0; i < objParts.length; i += 8) objLines.push(objParts.slice(i, i + 8).join(' '));
  out.push(` obj: ${objLines.join('\n   ') || '0'}`);
  out.push('Subject To');
  for (let r = 0; r < numRows(m); r++) {
    const lo = m.rowLower[r];
    const up = m.rowUpper[r];
    const expr = fmtLinear(m.colNames, m.rowIndex, m.rowValue, m.rowStart[r], m.rowStart[r + 1]);
    const name = m.rowNames[r];
    if (lo === up) out.push(` ${name}: ${expr} = ${fmtNum(lo)}`);
    else if (lo === -Infinity && up === Infinity) out.push(` ${name}: ${expr} >= -inf`);
    else if (lo === -Infinity) out.push(` ${name}: ${expr} <= ${fmtNum(up)}`);
    else if (up === Infinity) out.push(` ${name}: ${expr} >= ${fmtNum(lo)}`);
    else out.push(` ${name}: ${fmtNum(lo)} <= ${expr} <= ${fmtNum(up)}`);
  }
  out.push('Bounds');
  const gens: string[] = [];
  const bins: string[] = [];
  for (let j = 0; j < n; j++) {
    const lo = m.colLower[j];
    const up = m.colUpper[j];
    const name = m.colNames[j];
    if (m.colInteger[j]) {
      if (lo === 0 && up === 1) {
        bins.push(name);
        continue;
      }
      gens.push(name);
    }
    if (lo === -Infinity && up === Infinity) out.push(` ${name} free`);
    else if (lo === up) out.push(` ${name} = ${fmtNum(lo)}`);
    else if (lo === 0 && up === Infinity) continue;
    else if (up === Infinity) out.push(` ${name} >= ${fmtNum(lo)}`);
    else out.push(` ${fmtNum(lo)} <= ${name} <= ${fmtNum(up)}`);
  }
  if (gens.length) out.push('Generals', ...chunk(gens));
  if (bins.length) out.push('Binaries', ...chunk(bins));
  out.push('End', '');
  return out.join('\n');
}

function chunk(names: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += 10) lines.push(' ' + names.slice(i, i + 10).join(' '));
  return lines;
}
