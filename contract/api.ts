/**
 * The one API of Optiloop, shared by the three shells.
 *
 * - Electron: main registers `ipcMain.handle('optiloop:<channel>')` for every channel below and the
 *   preload exposes `window.api.invoke(channel, request)` / `window.api.on(listener)`.
 * - Web mode: `POST /api/<channel>` with the JSON request, events on `GET /api/events` (SSE).
 * - CLI: calls the same services (main/services.ts) directly.
 *
 * Every request is validated against its schema on the engine side before anything runs; anything
 * else is rejected with an ApiError the renderer can show. Domain payloads (inspection summaries,
 * progress data, results) are typed in contract/<domain>.ts.
 */
import { z } from 'zod';

export const JOB_KINDS = ['circuit', 'grid', 'mip', 'demo'] as const;
export const JobKind = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKind>;
export type Domain = Exclude<JobKind, 'demo'>;

export type LogLevel = 'info' | 'warn' | 'error';
export type JobState = 'queued' | 'running' | 'cancelled' | 'done' | 'failed';

/** Largest problem input by text: the main file plus its companions, in characters. */
export const MAX_INPUT_CHARS = 64 * 1024 * 1024;
/** Most companion files one input by text may carry. */
export const MAX_COMPANION_FILES = 32;

/** A companion's name: relative ('models/ee114.lib'), '/'-separated, no '.', '..' or empty parts. */
export function isCompanionName(name: string): boolean {
  if (name.length === 0 || name.length > 255 || /[\\:]/.test(name) || name.includes('\u0000')) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Where a problem comes from: a bundled example, a path (CLI/Electron), or text (drag and drop,
 * the file picker). Includes of a file by path resolve next to it; an input by text carries the
 * files it includes in `files` (name relative to the main file -> text), e.g. a problem.yaml with
 * its netlist and model library.
 */
export const ProblemInput = z.union([
  z.object({ example: z.string().min(1) }).strict(),
  z.object({ path: z.string().min(1) }).strict(),
  z
    .object({
      name: z.string().min(1).max(255),
      text: z.string().max(MAX_INPUT_CHARS),
      files: z
        .record(z.string().refine(isCompanionName, { message: "a companion file's name is relative, without '..', '\\' or ':'" }), z.string())
        .refine((f) => Object.keys(f).length <= MAX_COMPANION_FILES, { message: `at most ${MAX_COMPANION_FILES} companion files` })
        .optional(),
    })
    .strict()
    .refine((i) => i.text.length + Object.values(i.files ?? {}).reduce((n, t) => n + t.length, 0) <= MAX_INPUT_CHARS, {
      message: `the files together are over ${MAX_INPUT_CHARS / 1048576} MB`,
    }),
]);
export type ProblemInput = z.infer<typeof ProblemInput>;

/** A located error in a user's file: shown next to the text, never a crash. */
export interface FileError {
  file: string;
  line: number | null;
  message: string;
}

export interface ApiError {
  code: 'bad-request' | 'bad-input' | 'not-found' | 'internal';
  message: string;
  fileError?: FileError;
}

export interface Example {
  id: string;
  domain: Domain;
  title: string;
  description: string;
  file: string;
}

/** Summary of a parsed problem file; `details` is the domain's inspection (contract/<domain>.ts). */
export interface Inspection {
  domain: Domain;
  name: string;
  text: string;
  title: string;
  facts: Record<string, string | number>;
  details: unknown;
}

export interface JobProgress {
  /** Evaluations (simulations, power flows, sub-MIP solves) so far. */
  evaluations: number;
  /** Best score so far in the domain's own sense (see `bestLabel`), null while none. */
  best?: number | null;
  bestLabel?: string;
  feasible?: boolean;
  message?: string;
  /** Domain payload: CircuitProgress | GridProgress | MipProgress | unknown. */
  data?: unknown;
}

export interface JobSummary {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  progress: JobProgress | null;
  error: string | null;
  runDir: string;
}

export interface JobDetail extends JobSummary {
  options: Record<string, unknown>;
  /** Every progress report of the run so far (oldest first, capped), to redraw charts on reopen. */
  history: JobProgress[];
  log: { t: string; level: LogLevel; message: string }[];
  result: unknown;
  exports: string[];
}

export interface AppInfo {
  name: string;
  version: string;
  shell: 'electron' | 'web' | 'cli';
  node: string;
  cores: number;
  runsDir: string;
  learningBackend: string | null;
  engines: { name: string; version: string; status: string }[];
}

export interface ExportFile {
  fileName: string;
  mime: string;
  text: string;
}

/** Request schemas, one per channel. */
export const Requests = {
  'app.info': z.object({}).strict(),
  'examples.list': z.object({}).strict(),
  'problem.inspect': z.object({ input: ProblemInput, domain: JobKind.optional() }).strict(),
  'jobs.start': z
    .object({
      kind: JobKind,
      input: ProblemInput.optional(),
      options: z.record(z.string(), z.unknown()).default({}),
      title: z.string().max(200).optional(),
    })
    .strict(),
  'jobs.cancel': z.object({ id: z.string().min(1) }).strict(),
  'jobs.resume': z.object({ id: z.string().min(1) }).strict(),
  'jobs.list': z.object({}).strict(),
  'jobs.get': z.object({ id: z.string().min(1) }).strict(),
  'jobs.export': z.object({ id: z.string().min(1), file: z.string().min(1) }).strict(),
} as const;

export type Channel = keyof typeof Requests;
export const CHANNELS = Object.keys(Requests) as Channel[];

export interface Responses {
  'app.info': AppInfo;
  'examples.list': Example[];
  'problem.inspect': Inspection;
  'jobs.start': JobSummary;
  'jobs.cancel': JobSummary;
  'jobs.resume': JobSummary;
  'jobs.list': JobSummary[];
  'jobs.get': JobDetail;
  'jobs.export': ExportFile;
}

export type RequestOf<C extends Channel> = z.input<(typeof Requests)[C]>;
export type ResponseOf<C extends Channel> = Responses[C];

/** Events pushed from the engine to every open window / browser tab. */
export type ApiEvent =
  | { type: 'job.state'; job: JobSummary }
  /** `progress` is the latest report; `batch` holds every report since the previous event (oldest
   *  first, ending with `progress`): events are throttled, reports are never dropped. */
  | { type: 'job.progress'; id: string; progress: JobProgress; batch: JobProgress[] }
  | { type: 'job.log'; id: string; t: string; level: LogLevel; message: string };

/** The surface the renderer talks to, identical in Electron (preload) and the web client. */
export interface OptiloopApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  on(listener: (event: ApiEvent) => void): () => void;
}

/** Results travel as `{ ok: true, value }` or `{ ok: false, error }` over IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const IPC_PREFIX = 'optiloop:';
export const IPC_EVENT_CHANNEL = 'optiloop:event';
