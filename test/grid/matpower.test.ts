import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCase } from '../../simulators/grid/network.ts';
import { isInputError } from '../../simulators/errors.ts';

const text33 = readFileSync(new URL('../../resources/grid/case33bw.m', import.meta.url), 'utf8');

function errorOf(text: string, file = 'bad.m') {
  try {
    parseCase(text, file);
  } catch (e) {
    assert.ok(isInputError(e), `not an InputError: ${e}`);
    return e;
  }
  assert.fail('no error');
}

const replaceLine = (t: string, lineNo: number, s: string) => t.split('\n').map((l, i) => (i === lineNo - 1 ? s : l)).join('\n');

test('malformed files get file:line errors', () => {
  let e = errorOf(replaceLine(text33, 66, '\t1\t2\t0.0922\tabc\t0\t0\t0\t0\t0\t0\t1\t-360\t360;'));
  assert.equal(e.line, 66);
  assert.match(e.message, /^bad\.m:66: mpc\.branch: 'abc' is not a number/);
  e = errorOf(replaceLine(text33, 67, '\t2\t3\t0.0922\t0.0470\t0\t0;'));
  assert.equal(e.line, 67);
  assert.match(e.detail, /columns/);
  e = errorOf(replaceLine(text33, 66, '\t1\t99\t0.0922\t0.0470\t0\t0\t0\t0\t0\t0\t1\t-360\t360;'));
  assert.match(e.message, /bad\.m:66: branch 1: to-bus 99 does not exist/);
  e = errorOf(text33.replace("mpc.version = '2';", "mpc.version = '1';"));
  assert.match(e.detail, /version 1 is not supported/);
  e = errorOf(text33.replace('mpc.bus(:, [PD, QD]) = mpc.bus(:, [PD, QD]) / 1e3;', 'mpc.bus(:, [PD, QD]) = inv(mpc.bus);'));
  assert.match(e.detail, /unknown name 'inv'/);
  assert.equal(e.line, text33.split('\n').findIndex((l) => l.startsWith('mpc.bus(:, [PD, QD])')) + 1);
  e = errorOf(text33.replace('mpc.branch = [', 'mpc.branch = '));
  assert.equal(e.line, 103); // the stray ']' that closes no matrix
  assert.match(e.detail, /unbalanced/);
  e = errorOf('function mpc = x\nmpc.version = \'2\';\nmpc.baseMVA = 10;\n');
  assert.match(e.detail, /mpc\.bus missing/);
  e = errorOf('hello world\n');
  assert.match(e.message, /^bad\.m:1: /);
  e = errorOf(text33.replace(/\n\t1\t3\t0/, '\n\t1\t1\t0'));
  assert.match(e.detail, /no reference \(type 3\) bus/);
});

test('conversion code variants: element-wise, end, ranges, scalar fields', () => {
  const t = `function mpc = tiny
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;
  2 1 500 200 0 0 1 1 0 10 1 1.1 0.9; % kW
  3 1 300 100 0 0 1 1 0 10 1 1.1 0.9
];
mpc.gen = [1 0 0 10 -10 1 100 1 10 0];
mpc.branch = [
  1 2 1.0 2.0 0 0 0 0 0 0 1 -360 360;
  2 3 1.0 2.0 0 0 0 0 0 0 1 -360 360;
  1 3 1.0 2.0 0 0 0 0 0 0 0 -360 360;
];
Zb = 10^2 / mpc.baseMVA;
mpc.branch(:, 3:4) = mpc.branch(:, 3:4) ./ Zb;
mpc.bus(2:end, [3 4]) = mpc.bus(2:end, [3 4]) * 1e-3;
`;
  const c = parseCase(t, 'tiny.m');
  assert.equal(c.branches.length, 3);
  assert.ok(Math.abs(c.branches[0].rPu - 1) < 1e-12);
  assert.ok(Math.abs(c.buses[1].pLoadPu - 0.005) < 1e-15);
  assert.equal(c.branches[2].status, 0);
  assert.equal(c.buses[2].line, 7);
});
