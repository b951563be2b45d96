// The Electron shell, with only the Electron binary replaced by a recorder (it cannot run here):
// window security settings, navigation guards, and the IPC handlers answering through the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

register(new URL('./loader.mjs', import.meta.url));
const fake = (await import('electron' as string)) as {
  recorded: {
    windows: { options: { webPreferences: Record<string, unknown> }; webContents: { events: Map<string, (...a: unknown[]) => void>; openHandler: (d: { url: string }) => { action: string } } }[];
    handlers: Map<string, (event: unknown, req: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>>;
    sandbox: boolean;
    exposed?: { name: string; api: { invoke: (c: string, r: unknown) => Promise<unknown> } };
    appUrl?: string;
    external?: string;
  };
  fireReady: () => void;
};
await import('../../main/electron/index.ts');
fake.fireReady();
for (let i = 0; i < 200 && fake.recorded.handlers.size === 0; i++) await new Promise((r) => setTimeout(r, 25));
const appUrl = pathToFileURL(join(process.cwd(), 'out', 'renderer', 'index.html')).href;
const fromApp = { senderFrame: { url: appUrl } };

test('the window is sandboxed, isolated and without Node', () => {
  assert.equal(fake.recorded.sandbox, true);
  const prefs = fake.recorded.windows[0].options.webPreferences;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.sandbox, true);
  assert.match(String(prefs.preload), /preload\/index\.cjs$/);
});

test('navigation away from the app and new windows are blocked', () => {
  const wc = fake.recorded.windows[0].webContents;
  let prevented = false;
  wc.events.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://example.com/');
  assert.equal(prevented, true);
  prevented = false;
  wc.events.get('will-navigate')!({ preventDefault: () => (prevented = true) }, appUrl);
  assert.equal(prevented, false);
  assert.deepEqual(wc.openHandler({ url: 'https://example.com/' }), { action: 'deny' });
  assert.deepEqual(wc.openHandler({ url: 'file:///etc/passwd' }), { action: 'deny' });
});

test('every contract channel has a handler that validates its input through the engine', async () => {
  for (const c of ['app.info', 'examples.list', 'problem.inspect', 'jobs.start', 'jobs.cancel', 'jobs.resume', 'jobs.list', 'jobs.get', 'jobs.export']) {
    assert.ok(fake.recorded.handlers.has(`optiloop:${c}`), c);
  }
  const start = fake.recorded.handlers.get('optiloop:jobs.start')!;
  const bad = await start(fromApp, { kind: 'demo', options: { budget: 'lots' } });
  assert.equal(bad.ok, false);
  assert.match(bad.error!.message, /budget/);
  const malformed = await start(fromApp, 'not an object');
  assert.equal(malformed.ok, false);
  assert.equal(malformed.error!.code, 'bad-request');
  const foreign = await fake.recorded.handlers.get('optiloop:jobs.list')!({ senderFrame: { url: 'https://evil.example/' } }, {});
  assert.equal(foreign.ok, false);
  const ok = await fake.recorded.handlers.get('optiloop:app.info')!(fromApp, {});
  assert.equal(ok.ok, true);
  assert.equal((ok.value as { shell: string }).shell, 'electron');
});

test('the preload exposes only window.api, which reaches the engine and rejects with structured errors', async () => {
  fake.recorded.appUrl = appUrl;
  await import('../../preload/index.ts');
  const exposed = fake.recorded.exposed!;
  assert.equal(exposed.name, 'api');
  assert.deepEqual(Object.keys(exposed.api).sort(), ['invoke', 'on', 'pathForFile']);
  const pathForFile = (exposed.api as unknown as { pathForFile(f: unknown): string }).pathForFile;
  assert.equal(pathForFile({ path: '/home/u/amp/problem.yaml' }), '/home/u/amp/problem.yaml');
  assert.equal(pathForFile({}), '');
  await assert.rejects(exposed.api.invoke('fs.readFile', {}), (e: unknown) => (e as { code: string }).code === 'bad-request');
  const examples = (await exposed.api.invoke('examples.list', {})) as { id: string }[];
  assert.ok(examples.length > 0);
  // A bad file comes back as a plain object carrying file and line (contextBridge keeps those whole).
  const err = await exposed.api.invoke('problem.inspect', { input: { name: 'broken.m', text: 'function mpc = broken\nmpc.version = 2;\nmpc.bus = [ 1 2 3;\n' } }).catch((e: unknown) => e);
  assert.equal((err as { code: string }).code, 'bad-input');
  assert.equal((err as { fileError: { file: string } }).fileError.file, 'broken.m');
  assert.equal(typeof (err as { fileError: { line: number } }).fileError.line, 'number');
});
