/** Opening problems: a user's file (its text goes to problem.inspect) or a bundled example. */
import type { Example } from '../../../contract/api.ts';
import { api, toApiError } from '../api/client.ts';
import { navigate } from './router.ts';
import { store } from './store.ts';

const MAX_BYTES = 64 * 1024 * 1024;

export async function openFile(file: File): Promise<void> {
  navigate({ view: 'problem' });
  store.setProblem({ status: 'loading', name: file.name });
  let text: string | null = null;
  try {
    if (file.size > MAX_BYTES) throw new Error(`${file.name} is ${(file.size / 1048576).toFixed(0)} MB; the limit is 64 MB.`);
    text = await file.text();
    if (text.includes('\u0000')) throw new Error(`${file.name} looks like a binary file, not a text problem file.`);
    await inspect({ name: file.name, text }, file.name, text);
  } catch (e) {
    store.setProblem({ status: 'error', name: file.name, text, error: toApiError(e) });
  }
}

export async function openExample(ex: Example): Promise<void> {
  navigate({ view: 'problem' });
  store.setProblem({ status: 'loading', name: ex.title });
  await inspect({ example: ex.id }, ex.title, null);
}

async function inspect(input: { name: string; text: string } | { example: string }, name: string, text: string | null): Promise<void> {
  try {
    const inspection = await api().invoke('problem.inspect', { input });
    store.setProblem({ status: 'ok', input, inspection });
  } catch (e) {
    store.setProblem({ status: 'error', name, text, error: toApiError(e) });
  }
}
