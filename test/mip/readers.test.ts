/**
 * MPS and LP readers: agreement with HiGHS's own reader on every shipped instance, writer round trips,
 * the format's corner cases, and errors that name the file and the line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseMps, writeMps } from '../../simulators/mip/mps.ts';
import { parseLp, writeLp } from '../../simulators/mip/lp.ts';
import { type MipModel, modelCounts } from '../../simulators/mip/model.ts';
import { InputError } from '../../simulators/errors.ts';
import { inlineRuntime } from '../../main/mip/solver.ts';

const RES = fileURLToPath(new URL('../../resources/mip/', import.meta.url));
const files = readdirSync(RES).filter((f) => f.endsWith('.mps') || f.endsWith('.lp'));
const load = (f: string): MipModel => {
  const text = readFileSync(join(RES, f), 'utf8');
  return f.endsWith('.lp') ? parseLp(text, f) : parseMps(text, f);
};

function assertSameModel(a: MipModel, b: MipModel, what: string): void {
  const arr = (x: ArrayLike<number> | string[]) => Array.from(x as ArrayLike<number>);
  assert.equal(b.sense, a.sense, `${what}: sense`);
  assert.equal(b.objOffset, a.objOffset, `${what}: objective constant`);
  assert.deepEqual(b.colNames, a.colNames, `${what}: column names`);
  for (const k of ['colCost', 'colLower', 'colUpper', 'colInteger', 'rowLower', 'rowUpper', 'rowStart', 'rowIndex', 'rowValue'] as const) {
    assert.deepEqual(arr(b[k]), arr(a[k]), `${what}: ${k}`);
  }
}

test('every shipped instance reads exactly as HiGHS reads it (counts, bounds, costs, integrality, sense)', async () => {
  const highs = await inlineRuntime();
  const expected: Record<string, [number, number, number, number]> = {
    // rows, cols, integers, binaries (MIPLIB 2017 / SOURCES.md)
    'markshare_4_0.mps': [4, 34, 30, 30],
    'gen-ip054.mps': [27, 30, 30, 0],
    'pk1.mps': [45, 86, 55, 55],
    'neos5.mps': [63, 63, 53, 53],
    'mas76.mps': [12, 151, 150, 150],
    'assign1-5-8.mps': [161, 156, 130, 130],
    'workshop.lp': [4, 4, 4, 1],
  };
  for (const f of files) {
    const m = load(f);
    const c = modelCounts(m);
    assert.deepEqual([c.rows, c.columns, c.integers, c.binaries], expected[f], f);
    const data = readFileSync(join(RES, f));
    const h = highs.createModel(f.endsWith('.lp') ? { format: 'lp', data: data.toString('utf8') } : { format: 'mps', data });
    try {
      const lp = h.getLp('csc');
      assert.equal(lp.numRows, c.rows, f);
      assert.equal(lp.numCols, c.columns, f);
      assert.equal(lp.matrix.values.length, c.nonZeros, `${f}: non-zeros`);
      assert.equal(lp.sense === highs.constants.objectiveSense.maximize ? 'max' : 'min', m.sense, `${f}: sense`);
      const byName = new Map(m.colNames.map((n, i) => [n, i]));
      for (let j = 0; j < lp.numCols; j++) {
        const i = byName.get(h.getColName(j));
        assert.ok(i !== undefined, `${f}: column ${h.getColName(j)}`);
        assert.equal(m.colLower[i], lp.colLower[j], `${f}: lower of ${m.colNames[i]}`);
        assert.equal(m.colUpper[i], lp.colUpper[j], `${f}: upper of ${m.colNames[i]}`);
        assert.equal(m.colCost[i], lp.colCost[j], `${f}: cost of ${m.colNames[i]}`);
        assert.equal(m.colInteger[i], lp.integrality[j] ? 1 : 0, `${f}: type of ${m.colNames[i]}`);
      }
    } finally {
      h.dispose();
    }
  }
});

test('writers round-trip: MPS -> writeMps -> parseMps and -> writeLp -> parseLp give the same model', () => {
  for (const f of files) {
    const m = load(f);
    assertSameModel(m, parseMps(writeMps(m), `${f}.rt.mps`), `${f} via MPS`);
    assertSameModel(m, parseLp(writeLp(m), `${f}.rt.lp`), `${f} via LP`);
  }
});

test('MPS corner cases: OBJSENSE, objective constant, RANGES on E/L/G rows, negative UP, BV/LI/UI/MI/FR, N rows dropped', () => {
  const text = `NAME corner
OBJSENSE
    MAX
ROWS
 N  obj
 N  spare
 E  e1
 L  l1
 G  g1
 E  e2
COLUMNS
    MARKER  'MARKER'  'INTORG'
    x  obj  1  e1  1
    x  spare  5
    MARKER  'MARKER'  'INTEND'
    y  obj  2  l1  1
    y  g1  1  e2  1
    z  obj  -1  e2  1
    w  obj  0  g1  2
RHS
    RHS  obj  -7  e1  4
    RHS  l1  10  g1  1
    RHS  e2  3
RANGES
    RNG  e1  2  l1  4
    RNG  g1  -5  e2  -1
BOUNDS
 UP BND  y  -2
 BV BND  z
 LI BND  w  1
 UI BND  w  9
 FR BND  x
ENDATA
`;
  const m = parseMps(text, 'corner.mps');
  assert.equal(m.sense, 'max');
  assert.equal(m.objOffset, 7, 'RHS on the objective row is minus the constant');
  assert.deepEqual(m.rowNames, ['e1', 'l1', 'g1', 'e2'], 'the second N row is dropped');
  assert.deepEqual(Array.from(m.rowLower), [4, 6, 1, 2]);
  assert.deepEqual(Array.from(m.rowUpper), [6, 10, 6, 3]);
  const col = (n: string) => m.colNames.indexOf(n);
  assert.equal(m.colLower[col('x')], -Infinity);
  assert.equal(m.colUpper[col('x')], Infinity);
  assert.equal(m.colInteger[col('x')], 1);
  assert.equal(m.colLower[col('y')], -Infinity, 'UP < 0 with lower 0 makes the lower bound -inf');
  assert.equal(m.colUpper[col('y')], -2);
  assert.deepEqual([m.colLower[col('z')], m.colUpper[col('z')], m.colInteger[col('z')]], [0, 1, 1]);
  assert.deepEqual([m.colLower[col('w')], m.colUpper[col('w')], m.colInteger[col('w')]], [1, 9, 1]);
});

test('fixed-format MPS with spaces in names is read by columns', () => {
  // Fixed MPS fields start at columns 2, 5, 15, 25, 40, 50 (1-based).
  const line = (...f: string[]) => {
    const at = [1, 4, 14, 24, 39, 49];
    let s = '';
    f.forEach((v, k) => {
      s = s.padEnd(at[k]) + v;
    });
    return s;
  };
  const text = [
    'NAME          FIXED',
    'ROWS',
    line('N', 'COST'),
    line('L', 'LIM 1'),
    'COLUMNS',
    line('', 'X ONE', 'COST', '1.0', 'LIM 1', '1.0'),
    line('', 'X TWO', 'COST', '2.0', 'LIM 1', '1.0'),
    'RHS',
    line('', 'RHS', 'LIM 1', '4.0'),
    'BOUNDS',
    line('UP', 'BND', 'X ONE', '3.0'),
    'ENDATA',
  ].join('\n');
  const m = parseMps(text, 'fixed.mps');
  assert.deepEqual(m.colNames, ['X ONE', 'X TWO']);
  assert.deepEqual(m.rowNames, ['LIM 1']);
  assert.deepEqual(Array.from(m.colCost), [1, 2]);
  assert.equal(m.rowUpper[0], 4);
  assert.equal(m.colUpper[0], 3);
});

test('LP corner cases: constants, ranged rows, bound forms, free, binaries, generals, comments, 3x without space', () => {
  const text = `\\ comment line
Minimize
 cost: 3x + 2 y - z + 10 \\ trailing comment
   + 0 w
Subject To
 c1: x + y >= 2
 c2: -5 <= x - y <= 5
 x + z <= 8
 c4: 2 x + 3 y - 1 = 5
Bounds
 -inf <= z <= 4
 y <= 7
 w free
 2 <= x
Generals
 y
Binaries
 w2
End
`;
  const m = parseLp(text, 'corner.lp');
  assert.equal(m.sense, 'min');
  assert.equal(m.objOffset, 10);
  assert.deepEqual(m.colNames, ['x', 'y', 'z', 'w', 'w2']);
  assert.deepEqual(Array.from(m.colCost), [3, 2, -1, 0, 0]);
  assert.deepEqual(m.rowNames, ['c1', 'c2', 'R3', 'c4']);
  assert.deepEqual(Array.from(m.rowLower), [2, -5, -Infinity, 6]);
  assert.deepEqual(Array.from(m.rowUpper), [Infinity, 5, 8, 6]);
  assert.deepEqual(Array.from(m.colLower), [2, 0, -Infinity, -Infinity, 0]);
  assert.deepEqual(Array.from(m.colUpper), [Infinity, 7, 4, Infinity, 1]);
  assert.deepEqual(Array.from(m.colInteger), [0, 1, 0, 0, 1]);
});

function throwsAt(fn: () => unknown, file: string, line: number | null, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.equal(e.file, file);
    assert.equal(e.line, line);
    assert.match(e.detail, pattern);
    assert.ok(e.message.startsWith(line === null ? `${file}: ` : `${file}:${line}: `));
    return true;
  });
}

test('malformed MPS: errors name the file and the line', () => {
  const base = ['NAME t', 'ROWS', ' N obj', ' L c1', 'COLUMNS', '    x obj 1 c1 1', 'RHS', '    RHS c1 4', 'ENDATA'];
  const edit = (i: number, line: string) => base.map((l, k) => (k === i ? line : l)).join('\n');
  throwsAt(() => parseMps(edit(5, '    x obj 1 c9 1'), 'bad.mps'), 'bad.mps', 6, /row "c9" is not declared/);
  throwsAt(() => parseMps(edit(5, '    x obj one'), 'bad.mps'), 'bad.mps', 6, /"one" is not a number/);
  throwsAt(() => parseMps(edit(3, ' Q c1'), 'bad.mps'), 'bad.mps', 4, /unknown row type "Q"/);
  throwsAt(() => parseMps(edit(6, 'RHSX'), 'bad.mps'), 'bad.mps', 7, /unknown section "RHSX"/);
  throwsAt(() => parseMps(base.slice(0, 8).join('\n'), 'cut.mps'), 'cut.mps', 8, /missing ENDATA/);
  throwsAt(() => parseMps('hello world\n', 'notmps.mps'), 'notmps.mps', 1, /unknown section "hello"/);
  throwsAt(() => parseMps('* only a comment\n', 'empty.mps'), 'empty.mps', null, /no ROWS section/);
  throwsAt(() => parseMps(edit(7, 'BOUNDS\n SC BND x 4'), 'sc.mps'), 'sc.mps', 9, /semi-continuous/);
});

test('malformed LP: errors name the file and the line', () => {
  throwsAt(() => parseLp('Minimize\n obj: x + y\nSubject To\n c1: x + y 3\nEnd\n', 'bad.lp'), 'bad.lp', 4, /no comparison operator|expected a term/);
  throwsAt(() => parseLp('Minimize\n obj: x + [ x ^ 2 ]\nSubject To\nEnd\n', 'quad.lp'), 'quad.lp', 2, /quadratic/);
  throwsAt(() => parseLp('Minimize\n obj: x\nSubject To\n c1: x >= 1\n', 'cut.lp'), 'cut.lp', 4, /missing End/);
  throwsAt(() => parseLp('Minimize\n obj: x\nSubject To\n c1: x >= 1\n c2: x <= #\nEnd\n', 'hash.lp'), 'hash.lp', 5, /expected a number/);
  throwsAt(() => parseLp('Subject To\n c1: x >= 1\nEnd\n', 'noobj.lp'), 'noobj.lp', 1, /objective section/);
  throwsAt(() => parseLp('Minimize\n obj: x\nSubject To\n c1: x >= 1\nSOS\n s1: x:1\nEnd\n', 'sos.lp'), 'sos.lp', 5, /not supported/);
  throwsAt(() => parseLp('Minimize\n obj: x\nSubject To\n c1: x >= 1\n c1: x <= 3\nEnd\n', 'dup.lp'), 'dup.lp', 5, /defined twice/);
});
