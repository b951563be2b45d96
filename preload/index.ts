/**
 * The sandboxed preload: exposes `window.api` (contract/api.ts OptiloopApi) and nothing else. Only
 * the contract's channels pass; envelopes are unwrapped so the renderer sees values or Errors.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
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

class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiError';
  }
}

const api: OptiloopApi = {
  async invoke(channel, request) {
    if (!CHANNELS.includes(channel)) throw new ApiCallError({ code: 'bad-request', message: `unknown channel '${String(channel)}'` });
    const env = (await ipcRenderer.invoke(`optiloop:${channel}`, request)) as Envelope<never>;
    if (env.ok) return env.value;
    // Errors cross the bridge as plain objects: keep the structured ApiError on them.
    throw Object.assign(new ApiCallError(env.error), { apiError: env.error });
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
