/**
 * The renderer's one way to reach the engine. In Electron the preload exposes `window.api`
 * (envelopes already unwrapped); in web mode we speak the same contract over HTTP + SSE.
 * The rest of the app only sees `OptiloopApi` and never knows which shell it runs in.
 */
import type { ApiError, ApiEvent, Channel, Envelope, OptiloopApi, RequestOf, ResponseOf } from '../../../contract/api.ts';

declare global {
  interface Window {
    api?: OptiloopApi;
  }
}

/** An API call that failed: carries the engine's ApiError (with fileError when a file is at fault). */
export class ApiCallError extends Error {
  readonly apiError: ApiError;
  constructor(apiError: ApiError) {
    super(apiError.message);
    this.name = 'ApiCallError';
    this.apiError = apiError;
  }
}

function isApiError(x: unknown): x is ApiError {
  return !!x && typeof x === 'object' && typeof (x as ApiError).message === 'string' && typeof (x as ApiError).code === 'string';
}

/** Normalises whatever a shell rejected with into an ApiError the UI can show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiCallError) return e.apiError;
  if (isApiError(e)) return e;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    for (const key of ['apiError', 'error', 'cause']) if (isApiError(o[key])) return o[key] as ApiError;
    const message = typeof o.message === 'string' ? o.message : String(e);
    // Electron's IPC flattens errors to "Error invoking remote method ...: <message>".
    const stripped = message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '');
    try {
      const parsed: unknown = JSON.parse(stripped);
      if (isApiError(parsed)) return parsed;
    } catch {
      /* not JSON: a plain message */
    }
    // Electron's contextBridge may keep only the message of an Error: recover "file:line: message".
    const located = /^([^\s:][^:]*?):(\d+): ([\s\S]+)$/.exec(stripped);
    const fileError = (o.fileError as ApiError['fileError']) ?? (located ? { file: located[1], line: Number(located[2]), message: located[3] } : undefined);
    const code = typeof o.code === 'string' ? (o.code as ApiError['code']) : fileError ? 'bad-input' : 'internal';
    return { code, message: stripped, ...(fileError ? { fileError } : {}) };
  }
  return { code: 'internal', message: String(e) };
}

export type ConnectionState = 'connecting' | 'open' | 'lost';

class WebApi implements OptiloopApi {
  private listeners = new Set<(event: ApiEvent) => void>();
  private source: EventSource | null = null;
  private stateListeners = new Set<(s: ConnectionState) => void>();
  state: ConnectionState = 'connecting';

  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    let res: Response;
    try {
      res = await fetch(`api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request ?? {}),
      });
    } catch (e) {
      throw new ApiCallError({ code: 'internal', message: `The engine is not reachable (${(e as Error).message}).` });
    }
    let envelope: Envelope<ResponseOf<C>>;
    try {
      envelope = (await res.json()) as Envelope<ResponseOf<C>>;
    } catch {
      throw new ApiCallError({ code: 'internal', message: `The engine answered ${res.status} ${res.statusText} without a valid reply.` });
    }
    if (envelope && envelope.ok === true) return envelope.value;
    if (envelope && envelope.ok === false) throw new ApiCallError(envelope.error);
    throw new ApiCallError({ code: 'internal', message: 'The engine sent a malformed reply.' });
  }

  on(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => {
      this.listeners.delete(listener);
    };
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(s: ConnectionState): void {
    if (s === this.state) return;
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private connect(): void {
    if (this.source) return;
    const source = new EventSource('api/events');
    this.source = source;
    source.onopen = () => this.setState('open');
    source.onerror = () => this.setState(source.readyState === EventSource.CLOSED ? 'lost' : 'connecting');
    source.onmessage = (m: MessageEvent<string>) => {
      let event: ApiEvent;
      try {
        event = JSON.parse(m.data) as ApiEvent;
      } catch {
        return;
      }
      if (!event || typeof event !== 'object' || typeof event.type !== 'string') return;
      for (const l of this.listeners) {
        try {
          l(event);
        } catch (e) {
          console.error('event listener failed', e);
        }
      }
    };
  }
}

let instance: OptiloopApi | null = null;
let web: WebApi | null = null;

/** The API of whichever shell hosts us: Electron's preload bridge, or the web client. */
export function api(): OptiloopApi {
  if (instance) return instance;
  if (typeof window !== 'undefined' && window.api && typeof window.api.invoke === 'function') {
    const bridge = window.api;
    instance = {
      invoke: async (channel, request) => {
        try {
          return await bridge.invoke(channel, request);
        } catch (e) {
          throw new ApiCallError(toApiError(e));
        }
      },
      on: (listener) => bridge.on(listener),
    };
  } else {
    web = new WebApi();
    instance = web;
  }
  return instance;
}

/** Live connection state of the event stream (always 'open' in Electron). */
export function onConnectionState(listener: (s: ConnectionState) => void): () => void {
  api();
  if (!web) {
    listener('open');
    return () => {};
  }
  listener(web.state);
  return web.onState(listener);
}
