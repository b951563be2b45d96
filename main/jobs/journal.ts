/**
 * The run journal: one JSON record per line, appended with a synchronous write per record so that
 * a killed process loses at most the record in flight. Reading tolerates a torn last line.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs';

export class JournalWriter {
  private fd: number | null;
  private count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  append(record: Record<string, unknown>): void {
    if (this.fd === null) throw new Error(`journal ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(record) + '\n');
    this.count++;
  }

  get records(): number {
    return this.count;
  }

  close(): void {
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
    } catch {
      /* fsync is best effort (e.g. on some virtual file systems) */
    }
    closeSync(this.fd);
    this.fd = null;
  }
}

/** Reads a journal; a torn or corrupt line (a crash mid-write) ends the readable part. */
export function readJournal(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      break;
    }
  }
  return out;
}
