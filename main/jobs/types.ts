/**
 * What a job module (one per workbench: main/<domain>/job.ts) sees of the job runner.
 *
 * A job runs inside its own worker thread (the job host). It reads its validated options, appends
 * every evaluation to the journal (JSONL on disk, flushed per record), reports progress (the runner
 * throttles it for the UI) and returns the result object of ../shared/design/CONTRACTS.md, which the
 * runner writes to `result.json` in the run directory.
 */
import type { z } from 'zod';
import type { JobKind, JobProgress, LogLevel } from '../../contract/api.ts';

export interface JobJournal {
  /** Appends one record (an evaluation, an incumbent, ...) and flushes it to disk before returning. */
  append(record: Record<string, unknown>): void;
  /** Records of an earlier, interrupted run of this job (empty on a fresh run): resume from them. */
  readonly previous: readonly Record<string, unknown>[];
}

export interface JobContext<Options> {
  readonly jobId: string;
  readonly kind: JobKind;
  readonly options: Options;
  /** Directory of this run: journal.jsonl, result.json, exports/ live here. */
  readonly runDir: string;
  /** Aborted when the user cancels: stop soon, return the best result so far. */
  readonly signal: AbortSignal;
  readonly journal: JobJournal;
  /** Reports progress; cheap to call often, the runner throttles what reaches the UI. */
  progress(p: JobProgress): void;
  log(message: string, level?: LogLevel): void;
}

export interface JobModule<Options = unknown, Result = unknown> {
  readonly kind: JobKind;
  /** Validates the options a shell sends (CLI, IPC, HTTP); an invalid request never starts a job. */
  readonly optionsSchema: z.ZodType<Options>;
  run(ctx: JobContext<Options>): Promise<Result>;
}
