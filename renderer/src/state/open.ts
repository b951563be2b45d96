/**
 * Opening problems: a user's files (picked or dropped) or a bundled example. A problem can span
 * several files (problem.yaml -> netlist -> model library): the main file goes to problem.inspect
 * with the others as companions. In Electron a file with a real path opens by path instead, so its
 * includes resolve in its folder.
 */
import type { Example, ProblemInput } from '../../../contract/api.ts';
import { api, toApiError } from '../api/client.ts';
import { navigate } from './router.ts';
import { store } from './store.ts';

const MAX_BYTES = 64 * 1024 * 1024;
const MAX_COMPANIONS = 32;

/** The preload's extra (Electron only): a picked or dropped file's path, '' when it has none. */
function pathOf(file: File): string {
  const bridge = (typeof window !== 'undefined' ? window.api : undefined) as { pathForFile?: (f: File) => string } | undefined;
  if (!bridge || typeof bridge.pathForFile !== 'function') return '';
  try {
    return bridge.pathForFile(file) || '';
  } catch {
    return '';
  }
}

const isProblemFile = (name: string) => /\.(ya?ml|json)$/i.test(name);
const isAnnotatedNetlist = (text: string) => /^\s*\*\s*@var\b/m.test(text);

/** The main file of a selection: the problem file, else a netlist with `* @var` lines, else the first. */
export function pickMain(files: { name: string; text: string }[]): number {
  const problem = files.findIndex((f) => isProblemFile(f.name));
  if (problem >= 0) return problem;
  const annotated = files.findIndex((f) => isAnnotatedNetlist(f.text));
  return annotated >= 0 ? annotated : 0;
}

/** Opens one or more files as one problem (the main file plus the files it includes). */
export async function openFiles(list: File[]): Promise<void> {
  if (list.length === 0) return;
  navigate({ view: 'problem' });
  let name = list.length === 1 ? list[0].name : `${list.length} files`;
  store.setProblem({ status: 'loading', name });
  let text: string | null = null;
  try {
    const total = list.reduce((n, f) => n + f.size, 0);
    if (total > MAX_BYTES) throw new Error(`${list.length === 1 ? `${name} is` : 'The files are'} ${(total / 1048576).toFixed(0)} MB; the limit is 64 MB.`);
    if (list.length > MAX_COMPANIONS + 1) throw new Error(`${list.length} files: open a problem file with at most ${MAX_COMPANIONS} files it includes.`);
    const read = await Promise.all(list.map(async (f) => ({ file: f, name: f.name, text: await f.text() })));
    const mainIndex = pickMain(read);
    const main = read[mainIndex];
    name = main.name;
    text = main.text;
    if (text.includes('\u0000')) throw new Error(`${main.name} looks like a binary file, not a text problem file.`);
    const path = pathOf(main.file);
    let input: ProblemInput;
    if (path) input = { path };
    else {
      const others = read.filter((_, i) => i !== mainIndex);
      const files: Record<string, string> = {};
      for (const o of others) {
        if (o.name === main.name || o.name in files) throw new Error(`two files are named ${o.name}: open one problem's files at a time.`);
        files[o.name] = o.text;
      }
      input = others.length > 0 ? { name: main.name, text, files } : { name: main.name, text };
    }
    await inspect(input, main.name, text);
  } catch (e) {
    store.setProblem({ status: 'error', name, text, error: toApiError(e) });
  }
}

export async function openExample(ex: Example): Promise<void> {
  navigate({ view: 'problem' });
  store.setProblem({ status: 'loading', name: ex.title });
  await inspect({ example: ex.id }, ex.title, null);
}

async function inspect(input: ProblemInput, name: string, text: string | null): Promise<void> {
  try {
    const inspection = await api().invoke('problem.inspect', { input });
    store.setProblem({ status: 'ok', input, inspection });
  } catch (e) {
    store.setProblem({ status: 'error', name, text, error: toApiError(e) });
  }
}
