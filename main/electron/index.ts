/**
 * The Electron shell: one secure window on the built renderer, IPC handlers for every channel of
 * the contract (validated by the same Services.handle as web mode) and engine events forwarded to
 * the window. The engine itself (job runner, workbenches) is the TypeScript of main/, loaded at run
 * time through tsx exactly as the CLI does, so the desktop app runs the same code that is tested.
 */
import { app, BrowserWindow, ipcMain, session, shell, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// The wasm engines run much faster without V8's Liftoff tier when they run hundreds of times.
setFlagsFromString('--no-liftoff');

interface ServicesLike {
  handle(channel: string, raw: unknown): Promise<unknown>;
  jobs: { on(l: (e: unknown) => void): () => void; shutdown(): Promise<void> };
}

const CHANNELS = ['app.info', 'examples.list', 'problem.inspect', 'jobs.start', 'jobs.cancel', 'jobs.resume', 'jobs.list', 'jobs.get', 'jobs.export'];
// out/main/index.js (built) and main/electron/index.ts (source) both sit two levels below the root.
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererIndex = join(appRoot, 'out', 'renderer', 'index.html');

async function loadEngine(): Promise<{ services: ServicesLike; csp: string }> {
  const { register } = (await import('tsx/esm/api')) as { register: () => void };
  register();
  const mod = (await import(pathToFileURL(join(appRoot, 'main', 'services.ts')).href)) as {
    Services: new (o: { runsDir: string; shell: 'electron' }) => ServicesLike;
  };
  const csp = (await import(pathToFileURL(join(appRoot, 'main', 'csp.ts')).href)) as { CONTENT_SECURITY_POLICY: string };
  return {
    services: new mod.Services({ runsDir: join(app.getPath('userData'), 'runs'), shell: 'electron' }),
    csp: csp.CONTENT_SECURITY_POLICY,
  };
}

function isAppUrl(url: string): boolean {
  return url.startsWith(pathToFileURL(join(appRoot, 'out', 'renderer')).href);
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // No new windows; an http(s) link (documentation) opens in the user's browser.
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

async function createWindow(): Promise<void> {
  const { services, csp } = await loadEngine();
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    title: 'Optiloop',
    show: false,
    webPreferences: {
      preload: join(appRoot, 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  hardenContents(win.webContents);
  for (const channel of CHANNELS) {
    ipcMain.handle(`optiloop:${channel}`, (event, request: unknown) => {
      // Only our own window, on our own page, may call the engine.
      if (event.senderFrame === null || !isAppUrl(event.senderFrame.url)) {
        return { ok: false, error: { code: 'bad-request', message: 'request from an unknown frame refused' } };
      }
      return services.handle(channel, request);
    });
  }
  const off = services.jobs.on((e) => {
    if (!win.isDestroyed()) win.webContents.send('optiloop:event', e);
  });
  win.on('closed', off);
  win.once('ready-to-show', () => win.show());
  await win.loadFile(rendererIndex);
  app.on('before-quit', () => void services.jobs.shutdown());
}

app.enableSandbox();
app.on('web-contents-created', (_e, contents) => hardenContents(contents));
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
void app.whenReady().then(createWindow);
