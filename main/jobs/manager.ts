/**
 * The job runner every shell uses (Electron main, web server, CLI).
 *
 * A job: queued -> running -> done | failed | cancelled. Each running job lives in its own job-host
 * worker thread; at most `concurrency` run at once (default 1: a job's own evaluation pool already
 * uses every core). Every job has a run directory under `runsDir`:
 *   job.json       what was asked (kind, options, input file and its hash, versions) and the state
 *   input/         the problem file as the user gave it (text input is saved here first)
 *   journal.jsonl  every evaluation, one JSON line each, flushed per record
 *   log.jsonl      the run's log lines
 *   result.json    the result object of CONTRACTS.md
 *   exports/       exported files
 * Progress reports are forwarded as events at most every `throttleMs`, batched, never dropped.
 * A job whose process died mid-run is listed as failed ("interrupted") and can be resumed.
 */
import type { Worker } from 'node:worker_threads';
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type {
  ApiEvent,
  JobDetail,
  JobKind,
  JobProgress,
  JobState,
  JobSummary,
  LogLevel,
  ProblemInput,
} from '../../contract/api.ts';
import { isCompanionName } from '../../contract/api.ts';
import type { JobModule } from './types.ts';
import type { HostInput, HostMessage } from './job-host.ts';
import { startWorker } from './pool.ts';

export class JobError extends Error {
  constructor(
    readonly code: 'bad-request' | 'bad-input' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

export interface JobManagerOptions {
  runsDir: string;
  /** URL of the job module for each kind (from the domain registry). */
  resolveModule: (kind: JobKind) => URL | undefined;
  /** Resolves `{ example: id }` inputs to a file path. */
  resolveExample?: (id: string) => string | undefined;
  concurrency?: number;
  throttleMs?: number;
  /** Grace period between a cancel request and terminating the job's thread. */
  cancelGraceMs?: number;
  versions?: Record<string, string>;
}

interface Meta {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  options: Record<string, unknown>;
  input: { file: string; name: string; sha256: string } | null;
  versions: Record<string, string>;
  progress: JobProgress | null;
  resumes: number;
}

interface Live {
  meta: Meta;
  runDir: string;
  worker: Worker | null;
  history: JobProgress[];
  pending: JobProgress[];
  timer: NodeJS.Timeout | null;
  lastEmit: number;
  log: { t: string; level: LogLevel; message: string }[];
  result: unknown;
  done: Promise<void>;
  settle: () => void;
  cancelTimer: NodeJS.Timeout | null;
  cancelling: boolean;
  resume: boolean;
}

const HISTORY_CAP = 20_000;
const LOG_CAP = 2_000;

export class JobManager {
  private readonly jobs = new Map<string, Live>();
  private readonly queue: string[] = [];
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private readonly modules = new Map<JobKind, Promise<JobModule>>();
  readonly runsDir: string;
  private readonly concurrency: number;
  private readonly throttleMs: number;
  private readonly graceMs: number;

  constructor(private readonly opts: JobManagerOptions) {
    this.runsDir = resolve(opts.runsDir);
    mkdirSync(this.runsDir, { recursive: true });
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.throttleMs = opts.throttleMs ?? 150;
    this.graceMs = opts.cancelGraceMs ?? 15_000;
    this.loadPastRuns();
  }

  on(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The job module of a kind (loaded once in this thread, for option validation). */
  async module(kind: JobKind): Promise<JobModule> {
    let m = this.modules.get(kind);
    if (!m) {
      const url = this.opts.resolveModule(kind);
      if (!url) throw new JobError('bad-request', `no workbench for job kind '${kind}'`);
      m = import(url.href).then((x: { default: JobModule }) => x.default);
      this.modules.set(kind, m);
    }
    return m;
  }

  /** Validates and queues a job. Throws JobError on a bad request (nothing is started). */
  async start(req: { kind: JobKind; input?: ProblemInput; options?: Record<string, unknown>; title?: string }): Promise<JobSummary> {
    const mod = await this.module(req.kind);
    const id = newId(req.kind);
    const runDir = join(this.runsDir, id);
    let input: Meta['input'] = null;
    const options: Record<string, unknown> = { ...(req.options ?? {}) };
    if (req.input) {
      input = this.materialise(req.input, runDir);
      options.file = input.file;
    }
    const parsed = mod.optionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new JobError('bad-request', `invalid options for a ${req.kind} job: ${formatIssues(parsed.error)}`);
    }
    mkdirSync(join(runDir, 'exports'), { recursive: true });
    const meta: Meta = {
      id,
      kind: req.kind,
      title: req.title ?? (input ? `${req.kind}: ${input.name}` : req.kind),
      state: 'queued',
      createdAt: new Date().toISOString(),
      startedAt: null,
      endedAt: null,
      error: null,
      options: parsed.data as Record<string, unknown>,
      input,
      versions: this.opts.versions ?? {},
      progress: null,
      resumes: 0,
    };
    const live = this.track(meta, runDir, false);
    this.saveMeta(live);
    this.queue.push(id);
    this.emitState(live);
    this.pump();
    return this.summary(live);
  }

  /** Runs an interrupted, failed or cancelled job again in its run directory, from its journal. */
  resume(id: string): JobSummary {
    const live = this.get(id);
    if (live.meta.state === 'running' || live.meta.state === 'queued') {
      throw new JobError('bad-request', `job ${id} is ${live.meta.state}`);
    }
    live.meta.state = 'queued';
    live.meta.error = null;
    live.meta.endedAt = null;
    live.meta.resumes++;
    live.resume = true;
    live.result = null;
    live.done = new Promise<void>((r) => (live.settle = r));
    this.saveMeta(live);
    this.queue.push(id);
    this.emitState(live);
    this.pump();
    return this.summary(live);
  }

  cancel(id: string): JobSummary {
    const live = this.get(id);
    if (live.meta.state === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.end(live, 'cancelled', null);
    } else if (live.meta.state === 'running' && live.worker) {
      live.worker.postMessage({ type: 'cancel' });
      this.addLog(live, 'warn', 'cancel requested: the job stops after the evaluations in flight');
      live.cancelTimer ??= setTimeout(() => {
        this.addLog(live, 'error', `job did not stop within ${this.graceMs} ms; thread terminated`);
        void live.worker?.terminate();
      }, this.graceMs);
      live.cancelling = true;
    }
    return this.summary(live);
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((l) => this.summary(l)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  detail(id: string): JobDetail {
    const live = this.get(id);
    return {
      ...this.summary(live),
      options: live.meta.options,
      history: live.history,
      log: live.log,
      result: live.result ?? readJsonIfExists(join(live.runDir, 'result.json')),
      exports: listFiles(join(live.runDir, 'exports')),
    };
  }

  /** Resolves when the job has ended (done, failed or cancelled). */
  async wait(id: string): Promise<JobDetail> {
    await this.get(id).done;
    return this.detail(id);
  }

  /** Reads one file of a run: an export, result.json or journal.jsonl. */
  readRunFile(id: string, file: string): { fileName: string; text: string } {
    const live = this.get(id);
    const name = basename(file);
    if (name !== file || name.startsWith('.')) throw new JobError('bad-request', `not a file of run ${id}: ${file}`);
    for (const p of [join(live.runDir, 'exports', name), join(live.runDir, name)]) {
      if (existsSync(p) && statSync(p).isFile()) return { fileName: name, text: readFileSync(p, 'utf8') };
    }
    throw new JobError('not-found', `run ${id} has no file ${file}`);
  }

  async shutdown(): Promise<void> {
    for (const id of this.queue.splice(0)) this.end(this.get(id), 'cancelled', 'shut down before it started');
    await Promise.all(
      [...this.jobs.values()]
        .filter((l) => l.worker)
        .map(async (l) => {
          l.worker?.postMessage({ type: 'cancel' });
          const t = setTimeout(() => void l.worker?.terminate(), 5_000);
          await l.done;
          clearTimeout(t);
        }),
    );
  }

  // ---- internals ----

  private get(id: string): Live {
    const l = this.jobs.get(id);
    if (!l) throw new JobError('not-found', `no job ${id}`);
    return l;
  }

  private track(meta: Meta, runDir: string, resume: boolean): Live {
    let settle: () => void = () => {};
    const done = new Promise<void>((r) => (settle = r));
    const live: Live = {
      meta,
      runDir,
      worker: null,
      history: [],
      pending: [],
      timer: null,
      lastEmit: 0,
      log: [],
      result: null,
      done,
      settle,
      cancelTimer: null,
      cancelling: false,
      resume,
    };
    this.jobs.set(meta.id, live);
    return live;
  }

  private materialise(input: ProblemInput, runDir: string): NonNullable<Meta['input']> {
    let source: string;
    let name: string;
    if ('example' in input) {
      const p = this.opts.resolveExample?.(input.example);
      if (!p) throw new JobError('not-found', `no bundled example '${input.example}'`);
      source = p;
      name = basename(p);
    } else if ('path' in input) {
      source = resolve(input.path);
      if (!existsSync(source) || !statSync(source).isFile()) throw new JobError('bad-input', `${input.path}: no such file`);
      name = basename(source);
    } else {
      name = safeName(input.name);
      const inputDir = join(runDir, 'input');
      mkdirSync(inputDir, { recursive: true });
      const file = join(inputDir, name);
      // Companion files (the netlist and libraries a problem includes) go next to the main file
      // under their relative names, so the job finds them and the run folder is self-contained.
      const hash = createHash('sha256').update(input.text);
      for (const [rel, text] of Object.entries(input.files ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const target = resolve(inputDir, rel);
        if (!isCompanionName(rel) || !target.startsWith(inputDir + sep) || target === file) {
          throw new JobError('bad-request', `companion file '${rel}': not a relative name beside ${name}`);
        }
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, text);
        hash.update(`\u0000${rel}\u0000`).update(text);
      }
      writeFileSync(file, input.text);
      return { file, name, sha256: hash.digest('hex') };
    }
    // Keep a copy beside the run (reproducibility), but run from the original so that relative
    // includes of the user's file still resolve.
    mkdirSync(join(runDir, 'input'), { recursive: true });
    copyFileSync(source, join(runDir, 'input', name));
    return { file: source, name, sha256: sha256(readFileSync(source)) };
  }

  private pump(): void {
    const running = [...this.jobs.values()].filter((l) => l.meta.state === 'running').length;
    for (let free = this.concurrency - running; free > 0 && this.queue.length > 0; free--) {
      this.launch(this.get(this.queue.shift()!));
    }
  }

  private launch(live: Live): void {
    const url = this.opts.resolveModule(live.meta.kind)!;
    const data: HostInput = {
      jobId: live.meta.id,
      kind: live.meta.kind,
      moduleUrl: url.href,
      options: live.meta.options,
      runDir: live.runDir,
      resume: live.resume,
    };
    const hostUrl = hostEntry();
    const worker = startWorker(hostUrl, { workerData: data });
    live.worker = worker;
    live.meta.state = 'running';
    live.meta.startedAt = new Date().toISOString();
    this.saveMeta(live);
    this.emitState(live);
    let finished = false;
    worker.on('message', (m: HostMessage) => {
      if (m.type === 'progress') this.onProgress(live, m.progress);
      else if (m.type === 'log') this.addLog(live, m.level, m.message);
      else if (m.type === 'done') {
        finished = true;
        live.result = m.result;
        writeFileSync(join(live.runDir, 'result.json'), JSON.stringify(m.result, null, 2) + '\n');
        const cancelled = live.cancelling;
        this.end(live, cancelled ? 'cancelled' : 'done', null);
      } else if (m.type === 'failed') {
        finished = true;
        this.addLog(live, 'error', m.error);
        this.end(live, 'failed', m.error);
      }
    });
    worker.on('error', (e) => {
      if (finished) return;
      finished = true;
      this.addLog(live, 'error', `job thread crashed: ${e.message}`);
      this.end(live, 'failed', `job thread crashed: ${e.message}`);
    });
    worker.on('exit', (code) => {
      live.worker = null;
      if (!finished) {
        finished = true;
        const cancelled = live.cancelling;
        if (cancelled) this.end(live, 'cancelled', null);
        else this.end(live, 'failed', `job thread exited (code ${code}) before finishing; resumable from its journal`);
      }
    });
  }

  private onProgress(live: Live, p: JobProgress): void {
    live.meta.progress = p;
    live.history.push(p);
    if (live.history.length > HISTORY_CAP) live.history.splice(0, live.history.length - HISTORY_CAP);
    live.pending.push(p);
    const now = Date.now();
    if (now - live.lastEmit >= this.throttleMs) this.flushProgress(live);
    else live.timer ??= setTimeout(() => this.flushProgress(live), this.throttleMs - (now - live.lastEmit));
  }

  private flushProgress(live: Live): void {
    if (live.timer) clearTimeout(live.timer);
    live.timer = null;
    if (live.pending.length === 0) return;
    const batch = live.pending.splice(0);
    live.lastEmit = Date.now();
    this.emit({ type: 'job.progress', id: live.meta.id, progress: batch[batch.length - 1], batch });
  }

  private addLog(live: Live, level: LogLevel, message: string): void {
    const entry = { t: new Date().toISOString(), level, message };
    live.log.push(entry);
    if (live.log.length > LOG_CAP) live.log.splice(0, live.log.length - LOG_CAP);
    try {
      appendFileSync(join(live.runDir, 'log.jsonl'), JSON.stringify(entry) + '\n');
    } catch {
      /* the run directory may be gone (deleted by the user): the log stays in memory */
    }
    this.emit({ type: 'job.log', id: live.meta.id, ...entry });
  }

  private end(live: Live, state: JobState, error: string | null): void {
    this.flushProgress(live);
    if (live.cancelTimer) clearTimeout(live.cancelTimer);
    live.cancelTimer = null;
    live.cancelling = false;
    live.meta.state = state;
    live.meta.error = error;
    live.meta.endedAt = new Date().toISOString();
    this.saveMeta(live);
    this.emitState(live);
    live.settle();
    this.pump();
  }

  private saveMeta(live: Live): void {
    writeFileSync(join(live.runDir, 'job.json'), JSON.stringify(live.meta, null, 2) + '\n');
  }

  private summary(live: Live): JobSummary {
    const m = live.meta;
    return {
      id: m.id,
      kind: m.kind,
      title: m.title,
      state: m.state,
      createdAt: m.createdAt,
      startedAt: m.startedAt,
      endedAt: m.endedAt,
      progress: m.progress,
      error: m.error,
      runDir: live.runDir,
    };
  }

  private emitState(live: Live): void {
    this.emit({ type: 'job.state', job: this.summary(live) });
  }

  private emit(e: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a broken listener (closed window) must not stop the job */
      }
    }
  }

  private loadPastRuns(): void {
    for (const name of safeReaddir(this.runsDir)) {
      const runDir = join(this.runsDir, name);
      const meta = readJsonIfExists(join(runDir, 'job.json')) as Meta | null;
      if (!meta || typeof meta.id !== 'string' || this.jobs.has(meta.id)) continue;
      if (meta.state === 'running' || meta.state === 'queued') {
        meta.state = 'failed';
        meta.error = 'interrupted (the process ended during the run); resumable from its journal';
      }
      const live = this.track(meta, runDir, false);
      live.settle();
    }
  }
}

/** Loads every run's job.json in a runs directory without starting anything (CLI `runs list`). */
export function listRuns(runsDir: string): JobSummary[] {
  const m = new JobManager({ runsDir, resolveModule: () => undefined });
  return m.list();
}

function hostEntry(): URL {
  const here = new URL('.', import.meta.url);
  const js = new URL('job-host.js', here);
  return existsSync(js) ? js : new URL('job-host.ts', here);
}

function newId(kind: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  return `${stamp}-${kind}-${randomBytes(3).toString('hex')}`;
}

function safeName(name: string): string {
  const b = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_');
  return b === '' || b.startsWith('.') ? `input${b}` : b;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function readJsonIfExists(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function listFiles(dir: string): string[] {
  return safeReaddir(dir)
    .filter((n) => statSync(join(dir, n)).isFile())
    .sort();
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function formatIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`).join('; ');
}
