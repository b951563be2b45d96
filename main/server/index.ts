/**
 * Web mode: the built renderer and the engine's API over HTTP on 127.0.0.1 only.
 *   POST /api/<channel>   JSON request -> Envelope JSON (the same validation as Electron's IPC)
 *   GET  /api/events      Server-Sent Events, one ApiEvent JSON per `data:` line
 *   GET  /*               the renderer (out/renderer), with the same strict CSP as the desktop app
 * Requests whose Host is not loopback are refused (DNS rebinding), and so are cross-origin POSTs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Services } from '../services.ts';
import { CONTENT_SECURITY_POLICY } from '../csp.ts';

export interface ServerOptions {
  port: number;
  runsDir: string;
  staticDir?: string;
}

const MAX_BODY = 80 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export function defaultStaticDir(): string {
  return resolve(new URL('../../out/renderer', import.meta.url).pathname);
}

export async function startServer(opts: ServerOptions): Promise<{ server: Server; url: string; services: Services; close: () => Promise<void> }> {
  const services = new Services({ runsDir: opts.runsDir, shell: 'web' });
  const staticDir = resolve(opts.staticDir ?? defaultStaticDir());
  const clients = new Set<ServerResponse>();
  const off = services.jobs.on((e) => {
    const line = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of clients) c.write(line);
  });
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 15_000);

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(e) } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
      res.writeHead(403).end('forbidden host');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendJson(res, 405, { ok: false, error: { code: 'bad-request', message: 'use POST' } });
        return;
      }
      const origin = req.headers.origin;
      if (origin && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin)) {
        sendJson(res, 403, { ok: false, error: { code: 'bad-request', message: 'cross-origin request refused' } });
        return;
      }
      let body: unknown;
      try {
        const text = await readBody(req);
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch (e) {
        sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: `request body is not JSON: ${(e as Error).message}` } });
        return;
      }
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      const env = await services.handle(channel, body);
      sendJson(res, env.ok ? 200 : env.error.code === 'internal' ? 500 : env.error.code === 'not-found' ? 404 : 400, env);
      return;
    }
    serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const rel = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(staticDir, rel);
    if (!file.startsWith(staticDir)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end(`the renderer is not built: run 'npm run build' (looked in ${staticDir})`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${port}/`,
    services,
    close: async () => {
      clearInterval(heartbeat);
      off();
      for (const c of clients) c.end();
      await services.jobs.shutdown();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        fail(new Error(`request larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}
