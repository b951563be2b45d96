import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cli from '../../main/circuit/cli.ts';
import { circuitService } from '../../main/circuit/service.ts';
import type { CircuitInspection } from '../../contract/circuit.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l), tty: false } };
}

test('circuit optimise: bad options exit 2 with a clear message', async () => {
  const a = io();
  assert.equal(await cli.verbs.optimise.run(['three-stage-tia', '--agent', 'bayes'], a.io), 2);
  assert.match(a.err.join('\n'), /--agent bayes: expected one of ddpg, random, cmaes/);
  const b = io();
  assert.equal(await cli.verbs.optimise.run(['three-stage-tia', '--budget=-3'], b.io), 2);
  assert.match(b.err.join('\n'), /--budget -3: expected an integer/);
  const c = io();
  assert.equal(await cli.verbs.optimise.run(['three-stage-tia', '--colour'], c.io), 2);
  assert.match(c.err.join('\n'), /Unknown option '--colour'/);
  const d = io();
  assert.equal(await cli.verbs.optimise.run(['no-such-problem.yaml'], d.io), 2);
  assert.match(d.err.join('\n'), /no-such-problem\.yaml: no such file or bundled example/);
  const h = io();
  assert.equal(await cli.verbs.optimise.run(['--help'], h.io), 0);
  assert.match(h.out.join('\n'), /--export-dir DIR/);
});

test('circuit optimise: a malformed problem file exits 1 naming file and line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optiloop-circuit-bad-'));
  try {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'name: bad\nnetlist: |\n  * t\n  R1 a 0 1k\n  .end\nvariables:\n  - { name: R1, lo: 2k }\n');
    const a = io();
    assert.equal(await cli.verbs.optimise.run([f], a.io), 1);
    assert.match(a.err.join('\n'), /bad\.yaml:\d+: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('service: bundled examples and the TIA inspection (variables, specs, reference, schematic)', async () => {
  const ex = circuitService.examples();
  const tia = ex.find((e) => e.id === 'circuit/three-stage-tia');
  assert.ok(tia, 'the three-stage TIA is bundled');
  assert.ok(circuitService.extensions.includes('.yaml') && circuitService.extensions.includes('.cir'));
  const ins = await circuitService.inspect('problem.yaml', readFileSyncUtf8(tia.file));
  const d = ins.details as CircuitInspection;
  assert.equal(d.variables.length, 10);
  assert.deepEqual(
    d.constraints.map((c) => [c.metric, c.op, c.value]),
    [
      ['gain', '>=', 20236],
      ['bandwidth', '>=', 90.107e6],
      ['power', '<=', 3e-3],
    ],
  );
  assert.deepEqual(d.targets.map((t) => [t.metric, t.sense, t.ref]), [
    ['power', 'min', 1.3694e-3],
    ['area', 'min', 211.2e-12],
  ]);
  assert.ok(Math.abs(d.variables.find((v) => v.name === 'W3')!.reference! - 44.4e-6) < 1e-12);
  assert.ok(d.schematic !== null, 'the netlist is drawable');
});

function readFileSyncUtf8(p: string): string {
  return readFileSync(p, 'utf8');
}
