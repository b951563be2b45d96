/**
 * The ngspice (wasm) engine in worker threads against circuits with known answers: an RC low-pass
 * (-3 dB at 1/(2 pi R C), output noise sqrt(kT/C)), a square-law common-source stage (gain gm*RD,
 * supply power, single-pole UGF and phase margin), alter-in-place vs re-sourcing, and recovery from
 * a design that kills the engine.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseProblem } from '../../simulators/circuit/problem.ts';
import { CircuitEvaluator } from '../../main/circuit/evaluator.ts';
import { SpiceSession, ProblemRunner } from '../../simulators/circuit/engine.ts';
import { unitOf, parseRaw } from '../../simulators/circuit/raw.ts';

const K_BOLTZMANN = 1.380649e-23;
const T_KELVIN = 300.15; // ngspice's default 27 C

const RC = `
name: rc
netlist: |
  rc low-pass
  .param r=1k c=1n
  v1 in 0 dc 0 ac 1
  r1 in out {r}
  c1 out 0 {c}
variables:
  - { name: r, lo: 100, hi: 100k, scale: log, unit: Ohm }
  - { name: c, lo: 1p, hi: 1u, scale: log, unit: F }
analyses: [op, ac dec 100 1 1g, noise v(out) v1 dec 50 1 100g]
measurements:
  - { name: bw, kind: bandwidth, out: v(out), ref: lf, dropDb: 3.0103 }
  - { name: g0, kind: dc_gain, out: v(out) }
  - { name: vn, kind: noise_integrated, which: output }
  - { name: vn_spot, kind: noise_spot, which: output, freq: 10 }
constraints: ["bw >= 1meg log"]
targets: ["min vn"]
`;

// Square law, lambda = 0, no capacitances but CL: Id = kp/2 W/L Vov^2, gm = kp W/L Vov.
const CS = `
name: cs
netlist: |
  common-source stage
  .param w=10u rd=10k
  .model nm nmos level=1 vto=0.5 kp=50u lambda=0
  vdd vdd 0 2.5
  vg g 0 dc 1.0 ac 1
  m1 out g 0 0 nm w={w} l=1u
  rd vdd out {rd}
  cl out 0 1p
variables:
  - { name: w, lo: 2u, hi: 50u, scale: lin, unit: m }
  - { name: rd, lo: 1k, hi: 100k, scale: log, unit: Ohm }
analyses: [op, ac dec 200 1k 10g]
measurements:
  - { name: power, kind: power }
  - { name: gain, kind: dc_gain, out: v(out) }
  - { name: ugf, kind: ugf, out: v(out) }
  - { name: pm, kind: phase_margin, out: v(out) }
  - { name: sat, kind: saturation }
  - { name: gm, kind: op, vector: "@m1[gm]" }
  - { name: area, kind: area }
constraints: ["gain >= 2"]
targets: ["min power"]
`;

function csExpect(w: number, rd: number) {
  const kp = 50e-6;
  const vov = 0.5;
  const id = (kp / 2) * (w / 1e-6) * vov * vov;
  const gm = kp * (w / 1e-6) * vov;
  const a0 = gm * rd;
  const fp = 1 / (2 * Math.PI * rd * 1e-12);
  return { id, gm, a0, power: 2.5 * id, ugf: fp * Math.sqrt(a0 * a0 - 1), pm: 180 - (Math.atan(Math.sqrt(a0 * a0 - 1)) * 180) / Math.PI };
}

const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b} (tolerance ${rel * 100}%)`);

let session: SpiceSession | null = null;
async function getSession(): Promise<SpiceSession> {
  session ??= await SpiceSession.start();
  return session;
}

test('RC low-pass: -3 dB at 1/(2 pi R C) within 1 %, unity DC gain, output noise sqrt(kT/C)', async () => {
  const p = parseProblem(RC, 'rc.yaml');
  const ev = await CircuitEvaluator.create(p, { workers: 1 });
  try {
    const designs = [
      { r: 1e3, c: 1e-9 },
      { r: 4.7e3, c: 22e-12 },
      { r: 100e3, c: 10e-9 },
    ];
    const res = await ev.evaluate(designs);
    res.forEach((r, i) => {
      assert.ok(r.ok, r.error);
      const { r: R, c: C } = designs[i];
      close(r.metrics.bw, 1 / (2 * Math.PI * R * C), 0.01, `bandwidth R=${R} C=${C}`);
      close(r.metrics.g0, 1 / Math.hypot(1, 2 * Math.PI * R * C), 1e-6, 'gain at 1 Hz');
      // the output noise of any RC is kT/C, whatever R
      close(r.metrics.vn, Math.sqrt((K_BOLTZMANN * T_KELVIN) / C), 0.01, 'integrated output noise');
      // white 4kTR below the corner
      if (R * C < 1e-5) close(r.metrics.vn_spot, Math.sqrt(4 * K_BOLTZMANN * T_KELVIN * R), 0.01, 'spot noise at 10 Hz');
    });
    // the second and third designs went in place with alter
    assert.equal(ev.stats.viaAlter, 2);
  } finally {
    await ev.close();
  }
});

test('common-source stage: square-law gain gm*RD, power, saturation, single-pole UGF and phase margin', async () => {
  const p = parseProblem(CS, 'cs.yaml');
  const runner = new ProblemRunner(await getSession(), p, 'cs');
  assert.equal(runner.plan.mode, 'alter');
  for (const d of [
    { w: 10e-6, rd: 10e3 },
    { w: 20e-6, rd: 5e3 },
    { w: 4e-6, rd: 30e3 },
  ]) {
    const r = await runner.evaluate(d);
    assert.ok(r.ok, r.error);
    const e = csExpect(d.w, d.rd);
    close(r.metrics.gm, e.gm, 1e-6, 'gm');
    close(r.metrics.gain, e.a0, 1e-4, 'gain');
    close(r.metrics.power, e.power, 1e-6, 'power');
    close(r.metrics.ugf, e.ugf, 0.005, 'unity-gain frequency');
    assert.ok(Math.abs(r.metrics.pm - e.pm) < 0.5, `phase margin ${r.metrics.pm} vs ${e.pm}`);
    assert.equal(r.metrics.sat, 1);
    close(r.metrics.area, d.w * 1e-6, 1e-12, 'area');
  }
  // pushed into triode: vds = 2.5 - Id*RD below Vov
  const r = await runner.evaluate({ w: 40e-6, rd: 20e3 }, { keepPlots: true });
  assert.ok(r.ok, r.error);
  assert.equal(r.metrics.sat, 0);
  assert.equal(r.regions?.[0]?.device, 'm1');
  assert.equal(r.regions?.[0]?.region, 'triode');
  // typed vectors: a complex AC plot on a frequency scale, a real op plot
  const ac = r.plots?.ac;
  assert.ok(ac && ac.complex && ac.scale.kind === 'frequency' && unitOf(ac.scale.kind) === 'Hz');
  assert.equal(ac.vectors.get('v(out)')?.kind, 'voltage');
  assert.ok(ac.vectors.get('v(out)')?.im instanceof Float64Array);
  const sat = await runner.evaluate({ w: 10e-6, rd: 10e3 }, { keepPlots: true });
  const e = csExpect(10e-6, 10e3);
  // margin = vds - vdsat = (2.5 - Id RD) - Vov
  assert.ok(Math.abs((sat.regions?.[0]?.marginV ?? 0) - (2.5 - e.id * 10e3 - 0.5)) < 1e-6);
  assert.equal(sat.plots?.op?.complex, false);
});

test('alter in place gives the same metrics as re-sourcing the sized netlist', async () => {
  const p = parseProblem(CS, 'cs.yaml');
  // one engine per worker thread (the wasm module is per thread): two evaluators of one worker each
  const alter = await CircuitEvaluator.create(p, { workers: 1 });
  const source = await CircuitEvaluator.create(p, { workers: 1, forceSource: true });
  try {
    const designs = [
      { w: 10e-6, rd: 10e3 },
      { w: 17.3e-6, rd: 2.2e3 },
      { w: 3e-6, rd: 47e3 },
      { w: 10e-6, rd: 10e3 },
    ];
    const a = await alter.evaluate(designs);
    const b = await source.evaluate(designs);
    designs.forEach((d, i) => {
      assert.ok(a[i].ok && b[i].ok, a[i].error ?? b[i].error);
      assert.equal(b[i].via, 'source');
      assert.equal(a[i].via, i === 0 ? 'source' : 'alter');
      for (const k of Object.keys(b[i].metrics)) close(a[i].metrics[k], b[i].metrics[k], 1e-9, `${k} at ${JSON.stringify(d)}`);
    });
  } finally {
    await alter.close();
    await source.close();
  }
});

test('a design that kills the engine costs one evaluation; the batch and the evaluator go on', async () => {
  // The control block sources a self-including file (unbounded recursion: the wasm engine dies)
  // only when R1 exceeds 5 kOhm.
  const text = RC.replace('  c1 out 0 {c}\n', '  c1 out 0 {c}\n  .control\n  if @r1[resistance] > 5000\n  source bomb.cir\n  end\n  .endc\n').replace('name: rc\n', 'name: rc\nupdate: source\n');
  const p = parseProblem(text, 'bomb.yaml');
  p.files['bomb.cir'] = '* includes itself\n.include bomb.cir\n';
  const ev = await CircuitEvaluator.create(p, { workers: 1, timeoutMs: 10_000 });
  try {
    const res = await ev.evaluate([{ r: 1e3, c: 1e-9 }, { r: 10e3, c: 1e-9 }, { r: 2e3, c: 1e-9 }]);
    assert.ok(res[0].ok && res[2].ok);
    assert.equal(res[1].ok, false);
    assert.ok(res[1].via === 'crash' || res[1].via === 'timeout', `failure kind ${res[1].via}`);
    close(res[2].metrics.bw, 1 / (2 * Math.PI * 2e3 * 1e-9), 0.01, 'bandwidth after recovery');
    assert.equal(ev.stats.replaced, 1);
  } finally {
    await ev.close();
  }
});

test('a netlist ngspice rejects fails its evaluation quickly with the engine message, no stale vectors', async () => {
  // numparam errors make ngspice ask "Run Spice anyway? y/n": answered, reported, never hung
  const bad = CS.replace('rd vdd out {rd}', 'rd vdd out {rd*undefined_thing}');
  const p = parseProblem(bad, 'bad.yaml');
  const runner = new ProblemRunner(await getSession(), p, 'bad');
  const r = await runner.evaluate({ w: 10e-6, rd: 10e3 });
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /undefined_thing|question|no results/i);
  // the same session still simulates good designs afterwards
  const good = new ProblemRunner(await getSession(), parseProblem(CS, 'cs.yaml'), 'good');
  const g = await good.evaluate({ w: 10e-6, rd: 10e3 });
  assert.ok(g.ok, g.error);
  close(g.metrics.gain, csExpect(10e-6, 10e3).a0, 1e-4, 'gain after a failed run');
});

test('a run tag with capitals works (ngspice lower-cases the title the stale check compares)', async () => {
  const runner = new ProblemRunner(await getSession(), parseProblem(CS, 'cs.yaml'), 'CsUpper');
  for (let k = 0; k < 2; k++) {
    const r = await runner.evaluate({ w: 10e-6, rd: 10e3 + k });
    assert.ok(r.ok, r.error);
  }
});

test('raw files: binary and ASCII give the same vectors, binary data at any byte offset', async () => {
  const s = await getSession();
  const p = parseProblem(RC, 'rc.yaml');
  const runner = new ProblemRunner(s, p, 'raw');
  assert.ok((await runner.evaluate({ r: 4.7e3, c: 22e-12 })).ok);
  // the circuit stays loaded: the same analyses written both ways
  s.unlink('/raw-b.raw');
  s.unlink('/raw-a.raw');
  await s.commands(['ac dec 100 1 1g', 'write /raw-b.raw', 'set filetype=ascii', 'write /raw-a.raw', 'set filetype=binary', 'destroy all']);
  const bin = s.readFile('/raw-b.raw');
  const asc = s.readFile('/raw-a.raw');
  assert.ok(bin && asc);
  assert.match(new TextDecoder().decode(asc.subarray(0, 600)), /^Values:$/m);
  const b = parseRaw(bin);
  const a = parseRaw(asc);
  assert.equal(b.points, 901);
  assert.deepEqual([...a.vectors.keys()], [...b.vectors.keys()]);
  for (const [name, vb] of b.vectors) {
    const va = a.vectors.get(name);
    assert.ok(va && vb.im && va.im, name);
    for (let i = 0; i < b.points; i++) {
      // ASCII holds 15 significant digits
      for (const [x, y] of [
        [va.re[i], vb.re[i]],
        [va.im[i], vb.im[i]],
      ]) assert.ok(Math.abs(x - y) <= 1e-14 * Math.max(Math.abs(y), 1e-300) + 1e-300, `${name}[${i}]: ${x} vs ${y}`);
    }
  }
  // the binary section read in place (8-byte aligned) or copied (not aligned) gives the same numbers
  for (let shift = 1; shift < 9; shift++) {
    const buf = new Uint8Array(bin.length + shift);
    buf.set(bin, shift);
    const c = parseRaw(buf.subarray(shift));
    for (const [name, vb] of b.vectors) {
      const vc = c.vectors.get(name);
      assert.ok(vc && vc.im && vb.im);
      assert.deepEqual([vc.re, vc.im], [vb.re, vb.im], `${name} at offset ${shift}`);
    }
  }
});

after(() => {
  session = null;
});
