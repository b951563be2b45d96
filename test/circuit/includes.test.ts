// A user's circuit problem that includes other files (problem.yaml -> netlist -> model library):
// by path the includes resolve in the file's folder; by text they come as companion files, and a
// job started from text writes them into its run folder. Real files from resources/, copied and
// changed so that no bundled example's text matches.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Services, toApiError } from '../../main/services.ts';
import { Requests } from '../../contract/api.ts';
import type { CircuitInspection, CircuitResult } from '../../contract/circuit.ts';

const TIA_DIR = fileURLToPath(new URL('../../resources/circuits/three-stage-tia/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'optiloop-includes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the three-stage TIA folder with one comment changed in problem.yaml. */
function userCopy(): string {
  const dir = mkdtempSync(join(scratch, 'userprob-'));
  cpSync(TIA_DIR, dir, { recursive: true });
  const p = join(dir, 'problem.yaml');
  const text = readFileSync(p, 'utf8');
  const changed = text.replace('# Three-stage transimpedance amplifier', '# My own copy of the three-stage transimpedance amplifier');
  assert.notEqual(changed, text);
  writeFileSync(p, changed);
  return dir;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

function services(): Services {
  return new Services({ shell: 'cli', runsDir: mkdtempSync(join(scratch, 'runs-')), concurrency: 1 });
}

test('inspect by path: a modified copy in a temp folder reads its netlist and model library from its folder', async () => {
  const dir = userCopy();
  const s = services();
  const ins = await s.inspect({ path: join(dir, 'problem.yaml') });
  assert.equal(ins.domain, 'circuit');
  assert.equal(ins.facts.variables, 10);
  const d = ins.details as CircuitInspection;
  assert.equal(d.source, 'problem');
  assert.deepEqual(d.variables.map((v) => v.name), ['W1', 'WL1', 'WB1', 'W2', 'WL2', 'WB2', 'W3', 'WB3', 'WB', 'RB']);
  assert.match(d.netlist, /\.include ee114\.lib/);
  assert.notEqual(d.schematic, null);

  // The library really comes from the folder: without it the include fails, naming file and line.
  rmSync(join(dir, 'ee114.lib'));
  await assert.rejects(s.inspect({ path: join(dir, 'problem.yaml') }), (e: Error) => {
    const api = toApiError(e);
    assert.equal(api.code, 'bad-input');
    assert.equal(api.fileError?.file, 'three_stage.cir');
    assert.equal(api.fileError?.line, 8);
    assert.match(api.message, /cannot read included file 'ee114\.lib': it is not in .*userprob-.*: put it next to problem\.yaml/);
    return true;
  });
  await assert.rejects(s.inspect({ path: join(dir, 'missing.yaml') }), /no such file/);
});

test('inspect by text with companion files (relative name, then base name)', async () => {
  const dir = userCopy();
  const s = services();
  const text = read(dir, 'problem.yaml');
  const ins = await s.inspect({ name: 'problem.yaml', text, files: { 'three_stage.cir': read(dir, 'three_stage.cir'), 'ee114.lib': read(dir, 'ee114.lib') } });
  assert.equal(ins.facts.variables, 10);
  assert.equal(ins.name, 'problem.yaml');
  assert.match((ins.details as CircuitInspection).netlist, /^m1a vo1a /m);
  // A companion in a sub-folder is found by its base name when the include names it bare.
  const byBase = await s.inspect({ name: 'problem.yaml', text, files: { 'three_stage.cir': read(dir, 'three_stage.cir'), 'models/ee114.lib': read(dir, 'ee114.lib') } });
  assert.equal(byBase.facts.variables, 10);
  // Through the validated channel, as the web mode and Electron call it.
  const env = await s.handle('problem.inspect', { input: { name: 'problem.yaml', text, files: { 'three_stage.cir': read(dir, 'three_stage.cir'), 'ee114.lib': read(dir, 'ee114.lib') } } });
  assert.ok(env.ok, JSON.stringify(env));
});

test('inspect by text without its companions: a clear error naming the problem file and line and what to do', async () => {
  const dir = userCopy();
  const s = services();
  const text = read(dir, 'problem.yaml');
  const noNetlist = await s.handle('problem.inspect', { input: { name: 'problem.yaml', text } });
  assert.ok(!noNetlist.ok);
  assert.equal(noNetlist.error.code, 'bad-input');
  assert.deepEqual([noNetlist.error.fileError?.file, noNetlist.error.fileError?.line], ['problem.yaml', 10]);
  assert.equal(
    noNetlist.error.message,
    "problem.yaml:10: cannot read netlist 'three_stage.cir': open it together with problem.yaml (select or drop all the files at once), or open problem.yaml from its folder",
  );
  const noLib = await s.handle('problem.inspect', { input: { name: 'problem.yaml', text, files: { 'three_stage.cir': read(dir, 'three_stage.cir') } } });
  assert.ok(!noLib.ok);
  assert.match(noLib.error.message, /^three_stage\.cir:8: cannot read included file 'ee114\.lib': open it together with problem\.yaml/);
});

test('the contract limits companion files: relative names only, at most 32, 64 MB in all', () => {
  const schema = Requests['problem.inspect'];
  const ok = (files: Record<string, string>) => schema.safeParse({ input: { name: 'p.yaml', text: 'x', files } }).success;
  assert.ok(ok({ 'a.cir': '', 'models/b.lib': '' }));
  for (const bad of ['../a.cir', '/etc/passwd', 'models/../../a', 'C:\\a.lib', 'a\\..\\b', './a', 'a//b', '']) assert.ok(!ok({ [bad]: '' }), bad);
  assert.ok(!ok(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}.lib`, '']))));
  assert.ok(ok(Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`f${i}.lib`, '']))));
  const half = 'x'.repeat(32 * 1024 * 1024);
  assert.ok(!ok({ 'a.lib': half, 'b.lib': half }));
  assert.ok(schema.safeParse({ input: { name: 'p.yaml', text: 'x' } }).success);
});

test('a job started from text + companions writes them beside the main file and simulates the human reference design', async () => {
  const dir = userCopy();
  const s = services();
  try {
    const files = { 'three_stage.cir': read(dir, 'three_stage.cir'), 'ee114.lib': read(dir, 'ee114.lib') };
    const started = await s.handle('jobs.start', {
      kind: 'circuit',
      input: { name: 'problem.yaml', text: read(dir, 'problem.yaml'), files },
      options: { agent: 'random', budget: 3, seed: 2, workers: 1 },
    });
    assert.ok(started.ok, JSON.stringify(started));
    const d = await s.jobs.wait((started.value as { id: string }).id);
    assert.equal(d.state, 'done', d.log.map((l) => l.message).join('\n'));
    // The run folder holds the problem and its companions under their names: reproducible from it.
    for (const f of ['problem.yaml', 'three_stage.cir', 'ee114.lib']) assert.ok(existsSync(join(d.runDir, 'input', f)), f);
    assert.equal(readFileSync(join(d.runDir, 'input', 'ee114.lib'), 'utf8'), files['ee114.lib']);
    const r = d.result as CircuitResult;
    assert.equal(r.simulations, 3);
    const power = r.reference!.metrics.power;
    assert.ok(Math.abs(power / 1.3694e-3 - 1) < 0.01, `reference power ${power}`);
  } finally {
    await s.jobs.shutdown();
  }
});

test('inspect by text reads no file of the machine it runs on: an include that exists in the working directory or by absolute path is refused', async () => {
  const s = services();
  const dir = userCopy();
  const netlist = read(dir, 'three_stage.cir');
  // The same netlist, its library named by an absolute path and, second, by a name that exists in
  // the working directory: both exist on this machine, neither may be read for a text input.
  for (const inc of [join(dir, 'ee114.lib'), 'package.json']) {
    const text = netlist.replace('.include ee114.lib', `.include ${inc}`);
    assert.notEqual(text, netlist);
    await assert.rejects(s.inspect({ name: 'three_stage.cir', text }), (e: Error) => {
      assert.match(toApiError(e).message, /cannot read included file .*: open it together with three_stage\.cir/);
      return true;
    });
  }
});
