/**
 * The engine's API, implemented once: every channel of contract/api.ts. Electron's IPC handlers and
 * the web server call `handle(channel, rawRequest)`, which validates the request against the
 * contract's schema and returns an Envelope; the CLI calls the same Services methods directly.
 */
import { availableParallelism } from 'node:os';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  Requests,
  type ApiError,
  type AppInfo,
  type Channel,
  type Envelope,
  type Example,
  type Inspection,
  type JobKind,
  type ProblemInput,
  type ResponseOf,
} from '../contract/api.ts';
import { JobError, JobManager } from './jobs/manager.ts';
import { domainForFile, domainOf, domains } from './domains.ts';
import './domains-all.ts';
import { isInputError } from '../simulators/errors.ts';
import { appVersion, engineVersions } from './versions.ts';

export interface ServicesOptions {
  runsDir: string;
  shell: AppInfo['shell'];
  concurrency?: number;
}

export class Services {
  readonly jobs: JobManager;

  constructor(private readonly opts: ServicesOptions) {
    this.jobs = new JobManager({
      runsDir: opts.runsDir,
      concurrency: opts.concurrency,
      resolveModule: (kind) => (kind === 'demo' ? new URL('./demo/job.ts', import.meta.url) : domainOf(kind)?.jobModule),
      resolveExample: (id) => this.examples().find((e) => e.id === id)?.file,
      versions: { optiloop: appVersion(), node: process.version },
    });
  }

  examples(): Example[] {
    return domains().flatMap((d) => d.examples());
  }

  async info(): Promise<AppInfo> {
    let learningBackend: string;
    try {
      const { loadTf } = (await import('./learning/backend.ts')) as { loadTf: () => Promise<{ backend: string }> };
      learningBackend = (await loadTf()).backend;
    } catch (e) {
      learningBackend = `unavailable (${e instanceof Error ? e.message : String(e)})`;
    }
    return {
      name: 'Optiloop',
      version: appVersion(),
      shell: this.opts.shell,
      node: process.version,
      cores: availableParallelism(),
      runsDir: this.jobs.runsDir,
      learningBackend,
      engines: engineVersions(),
    };
  }

  async inspect(input: ProblemInput, kind?: JobKind): Promise<Inspection> {
    const { name, text, dir, files } = this.readInput(input);
    const domain = kind && kind !== 'demo' ? domainOf(kind) : domainForFile(name);
    if (!domain) {
      const known = domains().flatMap((d) => d.extensions).join(', ');
      throw new JobError('bad-input', `${name}: not a file Optiloop opens (known endings: ${known || 'none yet'})`);
    }
    return await domain.inspect(name, text, { dir, files });
  }

  /** The main file's name and text, and where its includes are: its folder (by path, example) or
   *  the companion files sent with it (by text). */
  readInput(input: ProblemInput): { name: string; text: string; dir?: string; files?: Record<string, string> } {
    if ('text' in input) return { name: input.name, text: input.text, files: input.files };
    let path: string;
    if ('example' in input) {
      const ex = this.examples().find((e) => e.id === input.example);
      if (!ex) throw new JobError('not-found', `no bundled example '${input.example}'`);
      path = ex.file;
    } else path = resolve(input.path);
    if (!existsSync(path) || !statSync(path).isFile()) throw new JobError('bad-input', `${path}: no such file`);
    return { name: basename(path), text: readFileSync(path, 'utf8'), dir: dirname(path) };
  }

  /** Validates a raw request from an untrusted shell (IPC, HTTP) and answers it. */
  async handle(channel: string, raw: unknown): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(Requests, channel)) {
      return { ok: false, error: { code: 'bad-request', message: `unknown channel '${channel}'` } };
    }
    const c = channel as Channel;
    const parsed = Requests[c].safeParse(raw ?? {});
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'bad-request', message: `invalid request for ${c}: ${msg}` } };
    }
    try {
      return { ok: true, value: await this.dispatch(c, parsed.data as never) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  private async dispatch<C extends Channel>(c: C, req: never): Promise<ResponseOf<C>> {
    const r = req as Record<string, unknown>;
    switch (c) {
      case 'app.info':
        return (await this.info()) as ResponseOf<C>;
      case 'examples.list':
        return this.examples() as ResponseOf<C>;
      case 'problem.inspect':
        return (await this.inspect(r.input as ProblemInput, r.domain as JobKind | undefined)) as ResponseOf<C>;
      case 'jobs.start':
        return (await this.jobs.start(r as never)) as ResponseOf<C>;
      case 'jobs.cancel':
        return this.jobs.cancel(r.id as string) as ResponseOf<C>;
      case 'jobs.resume':
        return this.jobs.resume(r.id as string) as ResponseOf<C>;
      case 'jobs.list':
        return this.jobs.list() as ResponseOf<C>;
      case 'jobs.get':
        return this.jobs.detail(r.id as string) as ResponseOf<C>;
      case 'jobs.export': {
        const f = this.jobs.readRunFile(r.id as string, r.file as string);
        return { ...f, mime: mimeOf(f.fileName) } as ResponseOf<C>;
      }
      default:
        throw new JobError('bad-request', `unhandled channel ${String(c)}`);
    }
  }
}

export function toApiError(e: unknown): ApiError {
  if (isInputError(e)) {
    return { code: 'bad-input', message: e.message, fileError: { file: e.file, line: e.line, message: e.detail } };
  }
  if (e instanceof JobError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

function mimeOf(name: string): string {
  const n = name.toLowerCase();
  if (n.endsWith('.json')) return 'application/json';
  if (n.endsWith('.csv')) return 'text/csv';
  if (n.endsWith('.jsonl')) return 'application/x-ndjson';
  return 'text/plain';
}
