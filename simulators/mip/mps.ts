/**
 * MPS reader (free and fixed format) and writer (free format).
 *
 * Reader conventions (those of CPLEX and HiGHS): the first N row is the objective, other N rows are
 * dropped; a right-hand side on the objective row is minus the objective constant; an UP bound below
 * zero on a column whose lower bound is 0 makes the lower bound -inf; integer columns declared between
 * INTORG/INTEND markers keep the default bounds [0, +inf) unless BOUNDS says otherwise. Lines are split
 * on white space (free MPS); a line whose token count does not fit its section is re-read by the fixed
 * MPS columns (2-3, 5-12, 15-22, 25-36, 40-47, 50-61), which allows names with spaces.
 * Unsupported content (SOS, quadratic sections, semi-continuous bounds) is rejected with its line.
 */
import { InputError } from '../errors.ts';
import { ModelBuilder, type MipModel, numCols, numRows } from './model.ts';

type Section = 'NONE' | 'NAME' | 'OBJSENSE' | 'OBJNAME' | 'ROWS' | 'COLUMNS' | 'RHS' | 'RANGES' | 'BOUNDS';

const UNSUPPORTED = new Set(['SOS', 'QUADOBJ', 'QSECTION', 'QMATRIX', 'QCMATRIX', 'CSECTION', 'INDICATORS', 'GENCONS', 'PWLOBJ']);

function fixedFields(line: string): string[] {
  const cut = (a: number, b: number) => line.slice(a, b).trim();
  return [cut(1, 3), cut(4, 12), cut(14, 22), cut(24, 36), cut(39, 47), cut(49, 61)];
}

export function parseMps(text: string, fileName: string): MipModel {
  const b = new ModelBuilder();
  const lines = text.split(/\r?\n/);
  let section: Section = 'NONE';
  let objRow: string | null = null;
  const droppedN = new Set<string>();
  const rowType = new Map<string, 'E' | 'L' | 'G'>();
  const rhs = new Map<number, number>();
  const ranges = new Map<number, number>();
  let inInteger = false;
  let sawRows = false;
  let sawEnd = false;
  let lastLine = 0;

  const fail = (line: number, msg: string): never => {
    throw new InputError(fileName, line, msg);
  };
  const num = (s: string | undefined, line: number, what: string): number => {
    if (s === undefined || s === '') return fail(line, `missing ${what}`);
    const v = Number(s.replace(/[dD]/, 'e'));
    if (Number.isFinite(v) && Math.abs(v) >= 1e30) return v > 0 ? Infinity : -Infinity;
    if (!Number.isFinite(v)) {
      if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
      return fail(line, `${what} "${s}" is not a number`);
    }
    return v;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    if (raw.trim() === '' || raw.startsWith('*')) continue;
    lastLine = lineNo;
    const isHeader = !/^\s/.test(raw);
    let tok = raw.trim().split(/\s+/);
    if (isHeader) {
      const head = tok[0].toUpperCase();
      if (head === 'NAME') {
        b.name = tok.slice(1).join(' ');
        section = 'NAME';
      } else if (head === 'OBJSENSE' || head === 'OBJSENCE') {
        section = 'OBJSENSE';
        if (tok[1]) setSense(tok[1], lineNo);
      } else if (head === 'OBJNAME') {
        section = 'OBJNAME';
        if (tok[1]) objRow = tok[1];
      } else if (head === 'ROWS') {
        section = 'ROWS';
        sawRows = true;
      } else if (head === 'COLUMNS') section = 'COLUMNS';
      else if (head === 'RHS') section = 'RHS';
      else if (head === 'RANGES') section = 'RANGES';
      else if (head === 'BOUNDS') section = 'BOUNDS';
      else if (head === 'ENDATA') {
        sawEnd = true;
        break;
      } else if (UNSUPPORTED.has(head)) fail(lineNo, `section ${head} is not supported (linear MIPs only)`);
      else if (section === 'OBJSENSE' && /^(MAX|MIN)/i.test(head)) setSense(head, lineNo);
      else fail(lineNo, `unknown section "${tok[0]}"`);
      continue;
    }

    switch (section) {
      case 'OBJSENSE':
        setSense(tok[0], lineNo);
        break;
      case 'OBJNAME':
        objRow = tok[0];
        break;
      case 'NAME':
      case 'NONE':
        fail(lineNo, 'data line before the ROWS section');
        break;
      case 'ROWS': {
        if (tok.length !== 2) tok = fixedFields(raw).slice(0, 2);
        const [type, name] = tok;
        if (!name) fail(lineNo, 'a ROWS line needs a type and a name');
        const t = type.toUpperCase();
        if (t === 'N') {
          if (objRow === null || objRow === name) objRow = name;
          else droppedN.add(name);
        } else if (t === 'E' || t === 'L' || t === 'G') {
          if (b.row(name) !== undefined || name === objRow) fail(lineNo, `row "${name}" is declared twice`);
          rowType.set(name, t);
          b.addRow(name, t === 'G' || t === 'E' ? 0 : -Infinity, t === 'L' || t === 'E' ? 0 : Infinity);
        } else fail(lineNo, `unknown row type "${type}" (expected N, E, L or G)`);
        break;
      }
      case 'COLUMNS': {
        if (tok.length >= 3 && tok[1].replace(/'/g, '').toUpperCase() === 'MARKER') {
          const kind = tok[2].replace(/'/g, '').toUpperCase();
          if (kind === 'INTORG') inInteger = true;
          else if (kind === 'INTEND') inInteger = false;
          else fail(lineNo, `unknown marker "${tok[2]}"`);
          break;
        }
        if (tok.length !== 3 && tok.length !== 5) tok = fixedFields(raw).slice(1).filter((s, k) => k < 2 || s !== '');
        if (tok.length !== 3 && tok.length !== 5) fail(lineNo, 'a COLUMNS line needs: column row value [row value]');
        const j = b.addCol(tok[0]);
        if (inInteger) b.colInteger[j] = 1;
        for (let k = 1; k + 1 < tok.length; k += 2) {
          const v = num(tok[k + 1], lineNo, 'coefficient');
          const rname = tok[k];
          if (rname === objRow) b.colCost[j] += v;
          else if (droppedN.has(rname)) continue;
          else {
            const r = b.row(rname);
            if (r === undefined) fail(lineNo, `row "${rname}" is not declared in ROWS`);
            else b.addCoef(r, j, v);
          }
        }
        break;
      }
      case 'RHS':
      case 'RANGES': {
        // [set] row value [row value]; read by white space, else by the fixed columns.
        const what = section === 'RHS' ? 'right-hand side' : 'range';
        const read = (t: string[]): [string, number][] | string => {
          if (t.length < 2 || t.length > 5) return `a ${section} line needs: [set] row value [row value]`;
          const pairs = t.length % 2 === 0 ? t : t.slice(1);
          const out: [string, number][] = [];
          for (let k = 0; k + 1 < pairs.length; k += 2) {
            const rname = pairs[k];
            if (rname !== objRow && !droppedN.has(rname) && b.row(rname) === undefined) return `row "${rname}" is not declared in ROWS`;
            const v = Number(pairs[k + 1].replace(/[dD]/, 'e'));
            if (Number.isNaN(v) || pairs[k + 1] === '') return `${what} "${pairs[k + 1]}" is not a number`;
            out.push([rname, num(pairs[k + 1], lineNo, what)]);
          }
          return out;
        };
        let got = read(tok);
        if (typeof got === 'string') {
          const f = fixedFields(raw).slice(1).filter((x, k) => k === 0 || x !== '');
          const alt = read(f);
          if (typeof alt !== 'string') got = alt;
        }
        if (typeof got === 'string') return fail(lineNo, got);
        for (const [rname, v] of got) {
          if (rname === objRow) {
            if (section === 'RHS') b.objOffset = -v;
            continue;
          }
          if (droppedN.has(rname)) continue;
          (section === 'RHS' ? rhs : ranges).set(b.row(rname)!, v);
        }
        break;
      }
      case 'BOUNDS': {
        const type = tok[0].toUpperCase();
        const noValue = type === 'FR' || type === 'MI' || type === 'PL' || type === 'BV';
        const want = noValue ? [2, 3] : [3, 4];
        if (!want.includes(tok.length) && !(type === 'BV' && tok.length === 4)) {
          const f = fixedFields(raw);
          tok = [f[0], f[1], f[2], f[3]].filter((s, k) => k !== 1 || s !== '');
          if (tok[tok.length - 1] === '') tok.pop();
        }
        let colName: string;
        let valueTok: string | undefined;
        if (noValue) {
          // BV may carry a value, which is ignored.
          if (tok.length === 2) colName = tok[1];
          else if (tok.length === 3 && type !== 'BV') colName = tok[2];
          else if (tok.length === 3) colName = b.col(tok[1]) !== undefined && b.col(tok[2]) === undefined ? tok[1] : tok[2];
          else colName = tok[2];
        } else if (tok.length === 3) {
          colName = tok[1];
          valueTok = tok[2];
        } else if (tok.length === 4) {
          colName = tok[2];
          valueTok = tok[3];
        } else {
          return fail(lineNo, `a BOUNDS line needs: type [set] column${noValue ? '' : ' value'}`);
        }
        let j = b.col(colName);
        if (j === undefined) {
          // Perhaps a fixed-format line whose names contain spaces.
          const f = fixedFields(raw);
          const fj = b.col(f[2]);
          if (fj !== undefined && (noValue || f[3] !== '')) {
            j = fj;
            valueTok = noValue ? undefined : f[3];
          } else return fail(lineNo, `column "${colName}" is not declared in COLUMNS`);
        }
        const v = valueTok === undefined ? 0 : num(valueTok, lineNo, 'bound');
        switch (type) {
          case 'UP':
            b.colUpper[j] = v;
            if (v < 0 && b.colLower[j] === 0) b.colLower[j] = -Infinity;
            break;
          case 'LO':
            b.colLower[j] = v;
            break;
          case 'FX':
            b.colLower[j] = v;
            b.colUpper[j] = v;
            break;
          case 'FR':
            b.colLower[j] = -Infinity;
            b.colUpper[j] = Infinity;
            break;
          case 'MI':
            b.colLower[j] = -Infinity;
            break;
          case 'PL':
            b.colUpper[j] = Infinity;
            break;
          case 'BV':
            b.colInteger[j] = 1;
            b.colLower[j] = 0;
            b.colUpper[j] = 1;
            break;
          case 'LI':
            b.colInteger[j] = 1;
            b.colLower[j] = v;
            break;
          case 'UI':
            b.colInteger[j] = 1;
            b.colUpper[j] = v;
            if (v < 0 && b.colLower[j] === 0) b.colLower[j] = -Infinity;
            break;
          case 'SC':
            fail(lineNo, 'semi-continuous bounds (SC) are not supported');
            break;
          default:
            fail(lineNo, `unknown bound type "${tok[0]}"`);
        }
        break;
      }
    }
  }
  if (!sawRows) throw new InputError(fileName, null, 'not an MPS file: no ROWS section');
  if (!sawEnd) throw new InputError(fileName, lastLine, 'missing ENDATA line (file truncated?)');

  for (let r = 0; r < b.rowNames.length; r++) {
    const t = rowType.get(b.rowNames[r])!;
    const v = rhs.get(r) ?? 0;
    const R = ranges.get(r);
    let lo = t === 'L' ? -Infinity : v;
    let up = t === 'G' ? Infinity : v;
    if (R !== undefined) {
      if (t === 'E') {
        if (R >= 0) up = v + R;
        else lo = v + R;
      } else if (t === 'L') lo = v - Math.abs(R);
      else up = v + Math.abs(R);
    }
    b.rowLower[r] = lo;
    b.rowUpper[r] = up;
  }
  return b.build();

  function setSense(s: string, line: number): void {
    const u = s.toUpperCase();
    if (u.startsWith('MAX')) b.sense = 'max';
    else if (u.startsWith('MIN')) b.sense = 'min';
    else fail(line, `unknown objective sense "${s}" (MAX or MIN)`);
  }
}

function fmt(v: number): string {
  if (v === Infinity) return '1e+30';
  if (v === -Infinity) return '-1e+30';
  return String(v);
}

/** Free-format MPS text of a model (OBJSENSE section for maximisation, markers for integers). */
export function writeMps(m: MipModel): string {
  const out: string[] = [];
  out.push(`NAME ${m.name || 'model'}`);
  if (m.sense === 'max') out.push('OBJSENSE', '    MAX');
  out.push('ROWS', ' N  obj');
  const kind: string[] = [];
  for (let r = 0; r < numRows(m); r++) {
    const lo = m.rowLower[r];
    const up = m.rowUpper[r];
    const k = lo === up ? 'E' : lo === -Infinity ? (up === Infinity ? 'N' : 'L') : 'G';
    kind.push(k);
    // A free row is written as G with -inf rhs so that it is kept as a constraint row.
    out.push(` ${k === 'N' ? 'G' : k}  ${m.rowNames[r]}`);
  }
  out.push('COLUMNS');
  // Column-wise traversal of the CSR matrix.
  const n = numCols(m);
  const cols: [number, number][][] = Array.from({ length: n }, () => []);
  for (let r = 0; r < numRows(m); r++) {
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) cols[m.rowIndex[k]].push([r, m.rowValue[k]]);
  }
  let inInt = false;
  let marker = 0;
  for (let j = 0; j < n; j++) {
    const isInt = m.colInteger[j] === 1;
    if (isInt !== inInt) {
      out.push(`    MARKER${marker++}  'MARKER'  '${isInt ? 'INTORG' : 'INTEND'}'`);
      inInt = isInt;
    }
    const name = m.colNames[j];
    out.push(`    ${name}  obj  ${fmt(m.colCost[j])}`);
    for (const [r, v] of cols[j]) out.push(`    ${name}  ${m.rowNames[r]}  ${fmt(v)}`);
  }
  if (inInt) out.push(`    MARKER${marker}  'MARKER'  'INTEND'`);
  out.push('RHS');
  if (m.objOffset !== 0) out.push(`    RHS  obj  ${fmt(-m.objOffset)}`);
  const rangeLines: string[] = [];
  for (let r = 0; r < numRows(m); r++) {
    const lo = m.rowLower[r];
    const up = m.rowUpper[r];
    const k = kind[r];
    const v = k === 'L' ? up : k === 'N' ? -Infinity : lo;
    if (v !== 0) out.push(`    RHS  ${m.rowNames[r]}  ${fmt(v)}`);
    if (k === 'G' && up !== Infinity) rangeLines.push(`    RNG  ${m.rowNames[r]}  ${fmt(up - lo)}`);
  }
  if (rangeLines.length) out.push('RANGES', ...rangeLines);
  out.push('BOUNDS');
  for (let j = 0; j < n; j++) {
    const lo = m.colLower[j];
    const up = m.colUpper[j];
    const name = m.colNames[j];
    if (lo === up) {
      out.push(` FX BND  ${name}  ${fmt(lo)}`);
      continue;
    }
    if (lo === -Infinity && up === Infinity) {
      out.push(` FR BND  ${name}`);
      continue;
    }
    if (lo === -Infinity) out.push(` MI BND  ${name}`);
    else if (lo !== 0) out.push(` LO BND  ${name}  ${fmt(lo)}`);
    if (up !== Infinity) out.push(` UP BND  ${name}  ${fmt(up)}`);
    else if (m.colInteger[j] && lo !== -Infinity) out.push(` PL BND  ${name}`);
  }
  out.push('ENDATA', '');
  return out.join('\n');
}
