/**
 * MATPOWER case reader (format version 2).
 *
 * Reads the `mpc.*` matrices and interprets the small subset of MATLAB that distribution cases use
 * after the data to convert units (kW -> MW, Ohm -> p.u. on the base kV and MVA):
 *   [PQ, PV, ...] = idx_bus;            named column constants (idx_bus, idx_brch, idx_gen, idx_cost)
 *   Vbase = mpc.bus(1, BASE_KV) * 1e3;  scalar variables
 *   mpc.branch(:, [BR_R BR_X]) = mpc.branch(:, [BR_R BR_X]) / (Vbase^2 / Sbase);
 * Expressions: numbers, variables, mpc.field, mpc.field(rows, cols) with ':', 'end', vectors and
 * ranges, + - * / ^ (and their element-wise forms) on scalars and matrices. Anything else is an
 * InputError naming the file and line.
 */
import { InputError } from '../errors.ts';

/** Raw matrices after the case's own code ran (MATPOWER units: MW, MVAr, p.u., degrees). */
export interface MatpowerRaw {
  name: string;
  version: string;
  baseMVA: number;
  matrices: Record<string, number[][]>;
  /** Line (1-based) where each row of each matrix was written. */
  rowLines: Record<string, number[]>;
  fieldLines: Record<string, number>;
}

const IDX: Record<string, string[]> = {
  idx_bus: ['PQ', 'PV', 'REF', 'NONE', 'BUS_I', 'BUS_TYPE', 'PD', 'QD', 'GS', 'BS', 'BUS_AREA', 'VM', 'VA', 'BASE_KV', 'ZONE', 'VMAX', 'VMIN', 'LAM_P', 'LAM_Q', 'MU_VMAX', 'MU_VMIN'],
  idx_brch: ['F_BUS', 'T_BUS', 'BR_R', 'BR_X', 'BR_B', 'RATE_A', 'RATE_B', 'RATE_C', 'TAP', 'SHIFT', 'BR_STATUS', 'PF', 'QF', 'PT', 'QT', 'MU_SF', 'MU_ST', 'ANGMIN', 'ANGMAX', 'MU_ANGMIN', 'MU_ANGMAX'],
  idx_gen: ['GEN_BUS', 'PG', 'QG', 'QMAX', 'QMIN', 'VG', 'MBASE', 'GEN_STATUS', 'PMAX', 'PMIN', 'MU_PMAX', 'MU_PMIN', 'MU_QMAX', 'MU_QMIN', 'PC1', 'PC2', 'QC1MIN', 'QC1MAX', 'QC2MIN', 'QC2MAX', 'RAMP_AGC', 'RAMP_10', 'RAMP_30', 'RAMP_Q', 'APF'],
  idx_cost: ['PW_LINEAR', 'POLYNOMIAL', 'MODEL', 'STARTUP', 'SHUTDOWN', 'NCOST', 'COST'],
};
const IDX_VALUES: Record<string, number[]> = {
  idx_bus: [1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  idx_brch: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 12, 13, 20, 21],
  idx_gen: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
  idx_cost: [1, 2, 1, 2, 3, 4, 5],
};

interface Stmt {
  text: string;
  line: number;
  /** For matrix literals: line of each row. */
  rowLines: number[];
}

/** Splits the text into statements, removing comments and joining `...` continuations. */
function statements(text: string, file: string): Stmt[] {
  const out: Stmt[] = [];
  let cur = '';
  let startLine = 1;
  let depth = 0; // [] and {} nesting
  let paren = 0;
  let rowLines: number[] = [];
  let rowOpen = false;
  const lines = text.split(/\r?\n/);
  const flush = () => {
    if (cur.trim() !== '') out.push({ text: cur.trim(), line: startLine, rowLines });
    cur = '';
    rowLines = [];
    rowOpen = false;
  };
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li];
    const lineNo = li + 1;
    let i = 0;
    let cont = false;
    if (cur.trim() === '') startLine = lineNo;
    while (i < raw.length) {
      const c = raw[i];
      if (c === '%' || c === '#') break;
      if (c === "'" ) {
        // a quote is a string start unless it follows an identifier/closing bracket (transpose)
        const prev = cur.trimEnd().slice(-1);
        if (prev !== '' && /[\w)\]}.']/.test(prev) && cur.endsWith(prev)) {
          throw new InputError(file, lineNo, 'unsupported construct: transpose operator');
        }
        const j = raw.indexOf("'", i + 1);
        if (j < 0) throw new InputError(file, lineNo, 'unterminated string');
        cur += raw.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (raw.startsWith('...', i)) {
        cont = true;
        break;
      }
      if (c === '[' || c === '{') {
        depth++;
        i++;
        cur += c;
        continue;
      }
      if (c === ']' || c === '}') {
        depth--;
        if (depth < 0) throw new InputError(file, lineNo, `unbalanced '${c}'`);
        i++;
        cur += c;
        continue;
      }
      if (c === '(') paren++;
      if (c === ')') paren--;
      if (depth > 0) {
        if (c === ';') {
          cur += ';';
          rowOpen = false;
          i++;
          continue;
        }
        if (!rowOpen && /[\d.+\-\w]/.test(c) && depth === 1 && paren === 0) {
          rowLines.push(lineNo);
          rowOpen = true;
        }
        cur += c;
        i++;
        continue;
      }
      if (c === ';' || c === ',') {
        if (paren === 0) {
          // ',' separates statements only at top level outside brackets/parens
          flush();
          startLine = lineNo;
          i++;
          continue;
        }
      }
      cur += c;
      i++;
    }
    if (depth > 0 && !cont) {
      // newline inside a matrix ends a row
      cur += ';';
      rowOpen = false;
    } else if (!cont) {
      flush();
    } else {
      cur += ' ';
    }
  }
  if (depth > 0) throw new InputError(file, startLine, 'matrix not closed with ]');
  flush();
  return out;
}

/** A value: a matrix (scalars are 1x1). */
interface Mat {
  r: number;
  c: number;
  d: number[]; // row-major
}
const scalar = (v: number): Mat => ({ r: 1, c: 1, d: [v] });

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string } | { t: 'str'; v: string };

function tokenize(s: string, file: string, line: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s.slice(i));
    if (num) {
      toks.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_]\w*/.exec(s.slice(i));
    if (id) {
      toks.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      toks.push({ t: 'str', v: s.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const op = /^(\.\*|\.\/|\.\^|==|[-+*/^()[\]{}:,;=.])/.exec(s.slice(i));
    if (op) {
      toks.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    throw new InputError(file, line, `unexpected character '${c}'`);
  }
  return toks;
}

class Interp {
  vars = new Map<string, number>();
  mats: Record<string, number[][]> = {};
  rowLines: Record<string, number[]> = {};
  fieldLines: Record<string, number> = {};
  scalars: Record<string, number | string> = {};
  name = '';
  constructor(readonly file: string) {}

  fail(line: number, msg: string): never {
    throw new InputError(this.file, line, msg);
  }

  exec(st: Stmt): void {
    const s = st.text;
    const line = st.line;
    let m: RegExpExecArray | null;
    if ((m = /^function\s+(?:\w+\s*=\s*)?(\w+)/.exec(s))) {
      this.name = m[1];
      return;
    }
    if (/^(end|return)$/.test(s)) return;
    if ((m = /^\[([\w\s,]+)\]\s*=\s*(idx_bus|idx_brch|idx_gen|idx_cost)\s*(\(\s*\))?$/.exec(s))) {
      const names = m[1].split(/[\s,]+/).filter(Boolean);
      const table = IDX[m[2]];
      const vals = IDX_VALUES[m[2]];
      names.forEach((n, k) => {
        if (k >= table.length) this.fail(line, `${m![2]} defines only ${table.length} names`);
        this.vars.set(n, vals[k]);
      });
      return;
    }
    if ((m = /^define_constants$/.exec(s))) {
      for (const k of Object.keys(IDX)) IDX[k].forEach((n, j) => this.vars.set(n, IDX_VALUES[k][j]));
      return;
    }
    // matrix literal assignment: mpc.field = [ ... ]
    if ((m = /^mpc\.(\w+)\s*=\s*\[([\s\S]*)\]$/.exec(s))) {
      this.mats[m[1]] = this.matrixLiteral(m[2], st, m[1]);
      this.fieldLines[m[1]] = line;
      return;
    }
    if ((m = /^mpc\.(\w+)\s*=\s*\{[\s\S]*\}$/.exec(s))) {
      this.fieldLines[m[1]] = line; // cell arrays (bus names, ...) are kept out of the model
      return;
    }
    if ((m = /^mpc\.(\w+)\s*=\s*'([^']*)'$/.exec(s))) {
      this.scalars[m[1]] = m[2];
      this.fieldLines[m[1]] = line;
      return;
    }
    const eq = this.topLevelEq(s);
    if (eq < 0) this.fail(line, `unsupported statement '${abbrev(s)}'`);
    const lhs = s.slice(0, eq).trim();
    const rhsToks = tokenize(s.slice(eq + 1), this.file, line);
    if ((m = /^mpc\.(\w+)$/.exec(lhs))) {
      const v = new Parser(rhsToks, this, line).parseAll();
      if (v.r === 1 && v.c === 1) this.scalars[m[1]] = v.d[0];
      else this.mats[m[1]] = toRows(v);
      this.fieldLines[m[1]] = line;
      return;
    }
    if ((m = /^[A-Za-z_]\w*$/.exec(lhs))) {
      const v = new Parser(rhsToks, this, line).parseAll();
      if (v.r !== 1 || v.c !== 1) this.fail(line, `only scalar variables are supported ('${lhs}')`);
      this.vars.set(lhs, v.d[0]);
      return;
    }
    if ((m = /^mpc\.(\w+)\s*\(([\s\S]*)\)$/.exec(lhs))) {
      const field = m[1];
      const M = this.mats[field];
      if (!M) this.fail(line, `mpc.${field} is not defined before this assignment`);
      const p = new Parser(tokenize(m[2], this.file, line), this, line);
      const [ri, ci] = p.parseIndexPair({ r: M.length, c: M[0]?.length ?? 0 });
      const v = new Parser(rhsToks, this, line).parseAll();
      const isScalar = v.r === 1 && v.c === 1;
      if (!isScalar && (v.r !== ri.length || v.c !== ci.length))
        this.fail(line, `assignment of ${v.r}x${v.c} into ${ri.length}x${ci.length}`);
      ri.forEach((r, a) =>
        ci.forEach((c, b) => {
          if (r >= M.length || c >= M[r].length) this.fail(line, `index (${r + 1},${c + 1}) out of range of mpc.${field}`);
          M[r][c] = isScalar ? v.d[0] : v.d[a * v.c + b];
        }),
      );
      return;
    }
    this.fail(line, `unsupported assignment target '${abbrev(lhs)}'`);
  }

  topLevelEq(s: string): number {
    let depth = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === '=' && depth === 0 && s[i + 1] !== '=' && !'<>~='.includes(s[i - 1] ?? '')) return i;
    }
    return -1;
  }

  matrixLiteral(body: string, st: Stmt, field: string): number[][] {
    const rows: number[][] = [];
    const lines: number[] = [];
    const parts = body.split(';');
    let k = 0;
    for (const part of parts) {
      const t = part.trim();
      if (t === '') continue;
      const line = st.rowLines[k] ?? st.line;
      k++;
      const cells = t.split(/[\s,]+/).filter(Boolean);
      const row: number[] = [];
      for (const cell of cells) {
        let v: number;
        if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell)) v = Number(cell);
        else if (/^[-+]?Inf$/i.test(cell)) v = cell.startsWith('-') ? -Infinity : Infinity;
        else if (/^NaN$/i.test(cell)) v = NaN;
        else if (this.vars.has(cell)) v = this.vars.get(cell)!;
        else this.fail(line, `mpc.${field}: '${abbrev(cell)}' is not a number`);
        row.push(v);
      }
      if (rows.length > 0 && row.length !== rows[0].length)
        this.fail(line, `mpc.${field}: row has ${row.length} columns, the first row has ${rows[0].length}`);
      rows.push(row);
      lines.push(line);
    }
    this.rowLines[field] = lines;
    return rows;
  }
}

function abbrev(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function toRows(v: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < v.r; i++) out.push(v.d.slice(i * v.c, (i + 1) * v.c));
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private toks: Tok[],
    private ip: Interp,
    private line: number,
  ) {}
  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'op' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) this.ip.fail(this.line, `expected '${v}'`);
    this.i++;
  }
  parseAll(): Mat {
    const v = this.expr();
    if (this.i < this.toks.length) this.ip.fail(this.line, `unsupported expression near '${tokText(this.toks[this.i])}'`);
    return v;
  }
  private endSize: number | null = null;
  parseIndexPair(shape: { r: number; c: number }): [number[], number[]] {
    const ri = this.index(shape.r);
    if (!this.isOp(',')) this.ip.fail(this.line, 'expected two indices (row, column)');
    this.i++;
    const ci = this.index(shape.c);
    if (this.i < this.toks.length) this.ip.fail(this.line, 'unsupported index expression');
    return [ri, ci];
  }
  private index(size: number): number[] {
    if (this.isOp(':') && (this.toks[this.i + 1] === undefined || (this.toks[this.i + 1].t === 'op' && [',', ')'].includes(this.toks[this.i + 1].v as string)))) {
      this.i++;
      return Array.from({ length: size }, (_, k) => k);
    }
    const saved = this.endSize;
    this.endSize = size;
    const a = this.expr();
    let idx = a.d.slice();
    if (this.isOp(':')) {
      this.i++;
      const b = this.expr();
      idx = [];
      for (let k = a.d[0]; k <= b.d[0]; k++) idx.push(k);
    }
    this.endSize = saved;
    return idx.map((k) => {
      if (!Number.isInteger(k) || k < 1 || k > size) this.ip.fail(this.line, `index ${k} out of range 1..${size}`);
      return k - 1;
    });
  }
  private expr(): Mat {
    let v = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.toks[this.i++] as { v: string }).v;
      v = this.binary(v, this.term(), op);
    }
    return v;
  }
  private term(): Mat {
    let v = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('.*') || this.isOp('./')) {
      const op = (this.toks[this.i++] as { v: string }).v;
      const w = this.unary();
      if ((op === '*' || op === '/') && !(isScalar(v) || isScalar(w)))
        this.ip.fail(this.line, `matrix ${op} matrix is not supported (use element-wise .${op})`);
      if (op === '/' && !isScalar(w)) this.ip.fail(this.line, 'division by a matrix is not supported');
      v = this.binary(v, w, op.replace('.', ''));
    }
    return v;
  }
  private unary(): Mat {
    if (this.isOp('-')) {
      this.i++;
      return this.binary(scalar(0), this.unary(), '-');
    }
    if (this.isOp('+')) {
      this.i++;
      return this.unary();
    }
    return this.power();
  }
  private power(): Mat {
    const v = this.primary();
    if (this.isOp('^') || this.isOp('.^')) {
      this.i++;
      const w = this.unary();
      if (!isScalar(w)) this.ip.fail(this.line, 'only scalar exponents are supported');
      return this.binary(v, w, '^');
    }
    return v;
  }
  private primary(): Mat {
    const t = this.peek();
    if (!t) this.ip.fail(this.line, 'expression ends too early');
    if (t.t === 'num') {
      this.i++;
      return scalar(t.v);
    }
    if (t.t === 'op' && t.v === '(') {
      this.i++;
      const v = this.expr();
      this.expect(')');
      return v;
    }
    if (t.t === 'op' && t.v === '[') {
      this.i++;
      const vals: number[] = [];
      while (!this.isOp(']')) {
        if (this.isOp(',')) {
          this.i++;
          continue;
        }
        const v = this.expr();
        vals.push(...v.d);
      }
      this.i++;
      return { r: 1, c: vals.length, d: vals };
    }
    if (t.t === 'id') {
      this.i++;
      if (t.v === 'end') {
        if (this.endSize === null) this.ip.fail(this.line, "'end' outside an index");
        return scalar(this.endSize);
      }
      if (t.v === 'mpc') {
        this.expect('.');
        const f = this.peek();
        if (!f || f.t !== 'id') this.ip.fail(this.line, 'expected a field name after mpc.');
        this.i++;
        const name = f.v;
        if (name in this.ip.scalars && typeof this.ip.scalars[name] === 'number') return scalar(this.ip.scalars[name] as number);
        const M = this.ip.mats[name];
        if (!M) this.ip.fail(this.line, `mpc.${name} is not defined`);
        if (this.isOp('(')) {
          // find matching paren
          let depth = 0;
          let j = this.i;
          for (; j < this.toks.length; j++) {
            const x = this.toks[j];
            if (x.t === 'op' && x.v === '(') depth++;
            if (x.t === 'op' && x.v === ')' && --depth === 0) break;
          }
          const sub = new Parser(this.toks.slice(this.i + 1, j), this.ip, this.line);
          const [ri, ci] = sub.parseIndexPair({ r: M.length, c: M[0]?.length ?? 0 });
          this.i = j + 1;
          const d: number[] = [];
          for (const r of ri) for (const c of ci) d.push(M[r][c]);
          return { r: ri.length, c: ci.length, d };
        }
        return { r: M.length, c: M[0]?.length ?? 0, d: M.flat() };
      }
      if (this.ip.vars.has(t.v)) return scalar(this.ip.vars.get(t.v)!);
      if (t.v === 'pi') return scalar(Math.PI);
      if (t.v === 'sqrt' && this.isOp('(')) {
        this.i++;
        const v = this.expr();
        this.expect(')');
        return { ...v, d: v.d.map(Math.sqrt) };
      }
      this.ip.fail(this.line, `unknown name '${t.v}'`);
    }
    this.ip.fail(this.line, `unsupported expression near '${tokText(t)}'`);
  }
  private binary(a: Mat, b: Mat, op: string): Mat {
    const f = (x: number, y: number) =>
      op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : Math.pow(x, y);
    if (isScalar(a)) return { r: b.r, c: b.c, d: b.d.map((y) => f(a.d[0], y)) };
    if (isScalar(b)) return { r: a.r, c: a.c, d: a.d.map((x) => f(x, b.d[0])) };
    if (a.r !== b.r || a.c !== b.c) this.ip.fail(this.line, `size mismatch ${a.r}x${a.c} vs ${b.r}x${b.c}`);
    return { r: a.r, c: a.c, d: a.d.map((x, k) => f(x, b.d[k])) };
  }
}

function isScalar(m: Mat): boolean {
  return m.r === 1 && m.c === 1;
}
function tokText(t: Tok): string {
  return String(t.v);
}

/** Parses a MATPOWER v2 case and runs its trailing conversion code. */
export function readMatpower(text: string, fileName: string): MatpowerRaw {
  const ip = new Interp(fileName);
  const sts = statements(text, fileName);
  let sawVersion = false;
  for (const st of sts) {
    if (/^mpc\.version\s*=/.test(st.text)) {
      const m = /^mpc\.version\s*=\s*'(\d+)'$/.exec(st.text);
      if (!m) throw new InputError(fileName, st.line, "mpc.version must be a quoted string like '2'");
      if (m[1] !== '2') throw new InputError(fileName, st.line, `MATPOWER case format version ${m[1]} is not supported (only version 2)`);
      sawVersion = true;
    }
    ip.exec(st);
  }
  if (!sawVersion) throw new InputError(fileName, 1, "no mpc.version = '2' line: not a MATPOWER version 2 case");
  const baseMVA = ip.scalars.baseMVA;
  if (typeof baseMVA !== 'number' || !(baseMVA > 0))
    throw new InputError(fileName, ip.fieldLines.baseMVA ?? null, 'mpc.baseMVA missing or not positive');
  for (const f of ['bus', 'branch', 'gen']) {
    if (!ip.mats[f] || ip.mats[f].length === 0) throw new InputError(fileName, ip.fieldLines[f] ?? null, `mpc.${f} missing or empty`);
  }
  return {
    name: ip.name || fileName.replace(/^.*[\\/]/, '').replace(/\.m$/, ''),
    version: '2',
    baseMVA,
    matrices: ip.mats,
    rowLines: ip.rowLines,
    fieldLines: ip.fieldLines,
  };
}
