import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cli from '../../main/grid/cli.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), tty: false } };
}
const case33 = new URL('../../resources/grid/case33bw.m', import.meta.url).pathname;

test('cli: bad options exit 2 with a clear message; bad file exits 1 naming file and line', async () => {
  let t = io();
  assert.equal(await cli.verbs.reconfigure.run([case33, '--agent', 'magic'], t.io), 2);
  assert.match(t.err.join('\n'), /--agent magic: expected one of exhaustive, exact, local, rl/);
  t = io();
  assert.equal(await cli.verbs.reconfigure.run([case33, '--time-limit', 'soon'], t.io), 2);
  assert.match(t.err.join('\n'), /--time-limit soon/);
  t = io();
  assert.equal(await cli.verbs.reconfigure.run([case33, '--bogus'], t.io), 2);
  t = io();
  assert.equal(await cli.verbs.reconfigure.run(['--help'], t.io), 0);
  assert.match(t.out.join('\n'), /--agent exhaustive\|exact\|local\|rl/);
  const dir = mkdtempSync(join(tmpdir(), 'grid-cli-'));
  const bad = join(dir, 'bad.m');
  writeFileSync(bad, "function mpc = bad\nmpc.version = '2';\nmpc.baseMVA = 10;\nmpc.bus = [\n 1 3 0 0 0 0 1 1 0 12 1 1 1;\n 2 1 x 0 0 0 1 1 0 12 1 1.1 0.9;\n];\n");
  t = io();
  assert.equal(await cli.verbs.reconfigure.run([bad], t.io), 1);
  assert.match(t.err.join('\n'), /bad\.m:6: mpc\.bus: 'x' is not a number/);
});

test('cli: inspect prints the base case figures', async () => {
  const t = io();
  assert.equal(await cli.verbs.inspect.run([case33], t.io), 0);
  const s = t.out.join('\n');
  assert.match(s, /33 buses, 37 branches, 36 switchable, 5 to open/);
  assert.match(s, /base loss 202\.677 kW; lowest voltage 0\.9131 p\.u\. at bus 18/);
});
