/**
 * The job host: one worker thread per running job. It loads the domain's JobModule, gives it a
 * JobContext (journal on disk, progress and log as messages to the runner, an AbortSignal for
 * cancellation) and posts the result back. The runner writes result.json.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { JournalWriter, readJournal } from './journal.ts';
import type { JobContext, JobModule } from './types.ts';
import type { JobKind, JobProgress, LogLevel } from '../../contract/api.ts';

export interface HostInput {
  jobId: string;
  kind: JobKind;
  moduleUrl: string;
  options: unknown;
  runDir: string;
  resume: boolean;
}

export type HostMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: string };

const port = parentPort!;
const input = workerData as HostInput;
const controller = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') controller.abort();
});

const post = (m: HostMessage) => port.postMessage(m);

async function main(): Promise<void> {
  const journalPath = join(input.runDir, 'journal.jsonl');
  const previous = input.resume ? readJournal(journalPath) : [];
  const writer = new JournalWriter(journalPath);
  const mod = (await import(input.moduleUrl)) as { default: JobModule<unknown, unknown> };
  const ctx: JobContext<unknown> = {
    jobId: input.jobId,
    kind: input.kind,
    options: input.options,
    runDir: input.runDir,
    signal: controller.signal,
    journal: { append: (r) => writer.append(r), previous },
    progress: (progress) => post({ type: 'progress', progress }),
    log: (message, level = 'info') => post({ type: 'log', level, message }),
  };
  try {
    const result = await mod.default.run(ctx);
    post({ type: 'done', result });
  } finally {
    writer.close();
  }
}

main()
  .catch((e: unknown) => {
    post({ type: 'failed', error: e instanceof Error ? e.message : String(e) });
  })
  .finally(() => {
    // Ends this thread once the last message is delivered, whatever handles the job left open.
    port.close();
  });
