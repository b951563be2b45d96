// A stand-in for the Electron binary, which cannot run on this machine: it records what the shell
// asks of Electron (window options, IPC handlers, navigation guards) so the tests can check them.
// Everything behind the IPC handlers is the real engine.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const recorded = { windows: [], handlers: new Map(), appEvents: new Map(), contentsEvents: [], sent: [], sandbox: false };
const userData = mkdtempSync(join(tmpdir(), 'optiloop-userdata-'));

class FakeContents {
  constructor() {
    this.events = new Map();
    this.openHandler = null;
    recorded.contentsEvents.push(this);
  }
  on(name, fn) { this.events.set(name, fn); return this; }
  setWindowOpenHandler(fn) { this.openHandler = fn; }
  send(channel, payload) { recorded.sent.push({ channel, payload }); }
}

export class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = new FakeContents();
    this.loaded = null;
    recorded.windows.push(this);
  }
  on() { return this; }
  once() { return this; }
  isDestroyed() { return false; }
  show() {}
  async loadFile(f) { this.loaded = f; }
}

let readyResolve;
const ready = new Promise((r) => (readyResolve = r));
export const app = {
  enableSandbox() { recorded.sandbox = true; },
  on(name, fn) { recorded.appEvents.set(name, fn); },
  whenReady() { return ready; },
  getPath() { return userData; },
  quit() {},
};
export function fireReady() { readyResolve(); }
export const ipcMain = { handle(channel, fn) { recorded.handlers.set(channel, fn); } };
export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived(fn) { recorded.headers = fn; } },
    setPermissionRequestHandler(fn) { recorded.permissions = fn; },
  },
};
export const shell = { openExternal: async (url) => { recorded.external = url; } };
export const contextBridge = { exposeInMainWorld(name, api) { recorded.exposed = { name, api }; } };
export const ipcRenderer = {
  invoke: async (channel, req) => { const h = recorded.handlers.get(channel); return h({ senderFrame: { url: recorded.appUrl } }, req); },
  on() {},
  removeListener() {},
};
export const webUtils = { getPathForFile(file) { return file && typeof file.path === 'string' ? file.path : ''; } };
export default { app, BrowserWindow, ipcMain, session, shell, contextBridge, ipcRenderer, webUtils };
