/**
 * The sandboxed preload: exposes `window.api` (contract/api.ts OptiloopApi) and nothing else. Only
 * the contract's channels pass; envelopes are unwrapped so the renderer sees values or Errors.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiError, Channel, Envelope, OptiloopApi } from '../contract/api.ts';

// Channel names are repeated here (the preload cannot import zod); main validates every request.
const CHANNELS: readonly Channel[] = [
  'app.info',
  'examples.list',
  'problem.inspect',
  'jobs.start',
  'jobs.cancel',
  'jobs.resume',
  'jobs.list',
  'jobs.get',
  'jobs.export',
];

/** A failed call rejects with a plain object (name, code, message, fileError): contextBridge copies
 *  plain objects whole, whereas it reduces an Error to its message. */
function apiFailure(error: ApiError): Promise<never> {
  return Promise.reject({ name: 'ApiError', ...error });
}

/** Besides the contract's calls: the real path of a file the user picked or dropped ('' when it has
 *  none), so that a problem opens by path and its includes resolve in its folder. */
const api: OptiloopApi & { pathForFile(file: File): string } = {
  pathForFile(file) {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return '';
    }
  },
  async invoke(channel, request) {
    if (!CHANNELS.includes(channel)) return apiFailure({ code: 'bad-request', message: `unknown channel '${String(channel)}'` });
    const env = (await ipcRenderer.invoke(`optiloop:${channel}`, request)) as Envelope<never>;
    return env.ok ? env.value : apiFailure(env.error);
  },
  on(listener) {
    const handler = (_e: IpcRendererEvent, event: ApiEvent) => listener(event);
    ipcRenderer.on('optiloop:event', handler);
    return () => {
      ipcRenderer.removeListener('optiloop:event', handler);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
