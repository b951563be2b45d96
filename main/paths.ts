/** Where runs go by default: the same folder the desktop app uses (its userData), so the CLI's runs
 *  show up in the app. Overridden by --runs-dir or OPTILOOP_RUNS_DIR. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultRunsDir(): string {
  if (process.env.OPTILOOP_RUNS_DIR) return process.env.OPTILOOP_RUNS_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Optiloop', 'runs');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Optiloop', 'runs');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Optiloop', 'runs');
}
