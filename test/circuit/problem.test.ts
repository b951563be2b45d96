/**
 * Problem files (YAML, JSON, annotated netlists): what loads, and the errors users get, with file
 * and line. Plus exports and the schematic description.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProblem, parseAnnotatedNetlist, parseAnyProblem, snapParams, type CircuitProblem } from '../../simulators/circuit/problem.ts';
import { paramInclude, sizedNetlist } from '../../simulators/circuit/export.ts';
import { describeNetlist } from '../../simulators/circuit/schematic.ts';
import { planRun } from '../../simulators/circuit/engine.ts';
import { InputError } from '../../simulators/errors.ts';
import { parseSpiceNumber } from '../../simulators/circuit/units.ts';

const NET = `amp
.param w=10u rd=10k
.model nm nmos level=1 vto=0.5 kp=50u
vdd vdd 0 2.5
vg g 0 dc 1 ac 1
m1 out g 0 0 nm w={w} l=1u
rd vdd out {rd}
.op
.ac dec 10 1 1g
.end
`;

const YAML = `name: amp
netlist: amp.cir
variables:
  - { name: w, lo: 2u, hi: 50u, scale: lin, unit: m, step: 0.1u }
  - { name: rd, lo: 1k, hi: 100k, scale: log, unit: Ohm }
measurements:
  - { name: gain, kind: dc_gain, out: v(out) }
  - { name: power, kind: power }
constraints:
  - "gain >= 2 log"
targets:
  - { metric: power, sense: min, ref: 0.1m }
reference:
  name: hand
  params: { w: 10u, rd: 10k }
`;

const files: Record<string, string> = { 'amp.cir': NET };
const read = (f: string) => {
  if (!(f in files)) throw new Error(`ENOENT ${f}`);
  return files[f];
};

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an InputError');
}

test('SPICE numbers parse decimal-exact with suffixes', () => {
  assert.equal(parseSpiceNumber('5.8u'), 5.8e-6);
  assert.equal(parseSpiceNumber('291k'), 291e3);
  assert.equal(parseSpiceNumber('1meg'), 1e6);
  assert.equal(parseSpiceNumber('90.107MEG'), 90.107e6);
  assert.equal(parseSpiceNumber('100fF'), 100e-15);
  assert.equal(parseSpiceNumber('2.5V'), 2.5);
  assert.equal(parseSpiceNumber('1e-3m'), 1e-6);
  assert.equal(parseSpiceNumber('abc'), null);
});

test('a YAML problem loads: variables in SI, analyses from the netlist, init values from .param', () => {
  const p = parseProblem(YAML, 'amp.yaml', read);
  assert.equal(p.variables.length, 2);
  assert.deepEqual(p.variables[0], { name: 'w', lo: 2e-6, hi: 50e-6, scale: 'lin', unit: 'm', step: 0.1e-6, init: 10e-6 });
  assert.equal(p.variables[1].init, 10e3);
  assert.deepEqual(p.analyses, ['op', 'ac dec 10 1 1g']);
  assert.deepEqual(p.constraints, [{ metric: 'gain', op: '>=', value: 2, scale: 'log' }]);
  assert.deepEqual(p.targets, [{ metric: 'power', sense: 'min', ref: 1e-4 }]);
  assert.deepEqual(p.reference, { name: 'hand', params: { w: 10e-6, rd: 10e3 } });
  assert.equal(planRun(p).mode, 'alter');
});

test('the same problem as JSON loads identically', () => {
  const json = JSON.stringify({
    name: 'amp',
    netlist: 'amp.cir',
    variables: [
      { name: 'w', lo: '2u', hi: '50u', scale: 'lin', unit: 'm', step: '0.1u' },
      { name: 'rd', lo: 1000, hi: 1e5, scale: 'log', unit: 'Ohm' },
    ],
    measurements: [
      { name: 'gain', kind: 'dc_gain', out: 'v(out)' },
      { name: 'power', kind: 'power' },
    ],
    constraints: [{ metric: 'gain', op: '>=', value: 2, scale: 'log' }],
    targets: [{ metric: 'power', sense: 'min', ref: 1e-4 }],
    reference: { name: 'hand', params: { w: '10u', rd: '10k' } },
  }, null, 2);
  const a = parseProblem(YAML, 'amp.yaml', read);
  const b = parseProblem(json, 'amp.json', read);
  const noLines = (p: CircuitProblem) => ({ ...p, file: '', measurements: p.measurements.map(({ line: _line, ...m }) => m) });
  assert.deepEqual(noLines(b), noLines(a));
});

test('bad problem files name the file and the line', () => {
  const cases: [string, RegExp, number | null][] = [
    [YAML.replace('  - { name: rd,', '  - { name: rx,'), /'rx' is not a \.param/, 5],
    [YAML.replace('scale: log, unit: Ohm', 'scale: ln, unit: Ohm'), /scale is 'lin' or 'log'/, 5],
    [YAML.replace('lo: 2u, hi: 50u', 'lo: 2u, hi: fifty'), /expected a number/, 4],
    [YAML.replace('kind: dc_gain', 'kind: dcgain'), /kind is one of/, 7],
    [YAML.replace('"gain >= 2 log"', '"gainz >= 2 log"'), /unknown metric 'gainz'/, 10],
    [YAML.replace('name: amp\n', 'name: amp\ncolour: red\n'), /unknown key 'colour'/, 2],
    [YAML.replace('lo: 1k, hi: 100k', 'lo: 100k, hi: 1k'), /lo .* must be below hi/, 5],
    [YAML + 'analyses: [op]\n', /needs a ac analysis/, 7],
    [YAML.replace('- { name: gain, kind: dc_gain, out: v(out) }', '- { name: gain, kind: dc_gain }'), /needs 'out'/, 7],
    [YAML.replace('netlist: amp.cir', 'netlist: missing.cir'), /cannot read netlist 'missing.cir'/, 2],
    [YAML.replace('  - { name: w,', '  - { name: w, lo: 2u, hi: 50u }\n  - { name: w,'), /listed twice/, 5],
    [YAML.replace('params: { w: 10u, rd: 10k }', 'params: { w: 10u, vth: 1 }'), /'vth' is not a design variable/, 15],
  ];
  for (const [text, re, line] of cases) {
    const e = inputError(() => parseProblem(text, 'amp.yaml', read));
    assert.equal(e.file, 'amp.yaml');
    assert.match(e.detail, re);
    assert.equal(e.line, line, `${e.message}`);
  }
  // YAML and JSON syntax errors carry the parser's line
  const y = inputError(() => parseProblem('name: a\nvariables: [\n  - {name: w\n', 'bad.yaml', read));
  assert.ok(y.line !== null && y.line >= 2, y.message);
  const j = inputError(() => parseProblem('{\n  "name": "a",\n  "netlist": "amp.cir",\n  "variables": [1,2}\n}', 'bad.json', read));
  assert.equal(j.line, 4, j.message);
});

test('netlist errors point into the netlist file', () => {
  files['broken.cir'] = 'broken\n.param w=1u\nm1 out g 0\nr1 a b 1k\n';
  const e = inputError(() => parseProblem(YAML.replace('netlist: amp.cir', 'netlist: broken.cir'), 'amp.yaml', read));
  assert.equal(e.file, 'broken.cir');
  assert.equal(e.line, 3);
  files['inc.cir'] = 'inc\n.include models/none.lib\n.param w=1u rd=1k\nr1 a 0 {rd}\n.op\n.ac dec 10 1 1g\n';
  const i = inputError(() => parseProblem(YAML.replace('netlist: amp.cir', 'netlist: inc.cir'), 'amp.yaml', read));
  assert.equal(i.file, 'inc.cir');
  assert.equal(i.line, 2);
  assert.match(i.detail, /cannot read included file 'models\/none.lib'/);
});

test('an annotated netlist loads on its own, like the YAML problem', () => {
  const annotated = `amp (annotated)
* @var w lo=2u hi=50u unit=m step=0.1u
* @var rd lo=1k hi=100k scale=log unit=Ohm
* @measure gain dc_gain out=v(out)
* @measure power power
* @spec gain >= 2 log
* @target min power ref=0.1m
* @ref w=10u rd=10k
${NET.split('\n').slice(1).join('\n')}`;
  const p = parseAnnotatedNetlist(annotated, 'amp.cir');
  const y = parseProblem(YAML, 'amp.yaml', read);
  assert.deepEqual(p.variables, y.variables);
  assert.deepEqual(p.measurements.map((m) => [m.name, m.kind, m.out]), y.measurements.map((m) => [m.name, m.kind, m.out]));
  assert.deepEqual(p.constraints, y.constraints);
  assert.deepEqual(p.targets, y.targets);
  assert.deepEqual(p.reference?.params, y.reference?.params);
  assert.deepEqual(p.analyses, y.analyses);
  assert.equal(parseAnyProblem(annotated, 'amp.cir').variables.length, 2);
  // errors on annotation lines
  const e = inputError(() => parseAnnotatedNetlist(annotated.replace('* @var rd lo=1k', '* @var rd low=1k'), 'amp.cir'));
  assert.equal(e.line, 3);
  const f = inputError(() => parseAnnotatedNetlist(annotated.replace('* @spec gain >= 2 log', '* @spec gain => 2'), 'amp.cir'));
  assert.equal(f.line, 6);
  const g = inputError(() => parseAnnotatedNetlist(annotated.replace('* @target min power', '* @goal min power'), 'amp.cir'));
  assert.equal(g.line, 7);
  assert.match(g.detail, /unknown annotation '@goal'/);
});

test('designs snap to bounds and grid; exports carry the values exactly', () => {
  const p = parseProblem(YAML, 'amp.yaml', read);
  const s = snapParams(p, { w: 12.34e-6, rd: 1e9 });
  assert.ok(Math.abs(s.w - 12.3e-6) < 1e-15);
  assert.equal(s.rd, 100e3);
  assert.equal(snapParams(p, {}).w, 10e-6);
  const inc = paramInclude(p, { w: 12.3e-6, rd: 4.7e3 });
  assert.match(inc, /^\.param w=1\.23e-5 /m);
  assert.match(inc, /^\.param rd=4700 /m);
  const net = sizedNetlist(p, { w: 12.3e-6, rd: 4.7e3 }, { header: true });
  assert.match(net, /^\.param w=1\.23e-5 rd=4700$/m);
  assert.match(net, /^\* w = 12\.3um$/m);
  assert.equal(net.split('\n')[0], 'amp');
});

test('schematic: typed devices with pins, parameters and the design variables they depend on', () => {
  const dir = new URL('../../resources/circuits/three-stage-tia/', import.meta.url).pathname;
  const p: CircuitProblem = parseProblem(readFileSync(join(dir, 'problem.yaml'), 'utf8'), 'problem.yaml', (f) => readFileSync(join(dir, f), 'utf8'));
  const s = describeNetlist(p);
  const mos = s.devices.filter((d) => d.type === 'nmos' || d.type === 'pmos');
  assert.equal(mos.length, 17);
  assert.equal(s.devices.filter((d) => d.type === 'pmos').length, 4);
  const m1a = s.devices.find((d) => d.name === 'm1a');
  assert.deepEqual(m1a?.nodes, ['vo1a', '0', 'iina', 'vss']);
  assert.deepEqual(m1a?.variables, ['W1']);
  assert.deepEqual(s.devices.find((d) => d.name === 'rb')?.variables, ['RB']);
  assert.equal(s.devices.find((d) => d.name === 'iina')?.type, 'i');
  assert.equal(s.ground, '0');
  assert.ok(s.nets.includes('vouta') && s.nets.includes('nbias'));
});
