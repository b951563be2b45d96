/** Versions of Optiloop and of the engines it embeds, read from the installed packages. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function pkgVersion(name: string): string | null {
  try {
    const p = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
  } catch {
    try {
      // Packages whose exports map hides package.json: walk up from the entry.
      const entry = require.resolve(name);
      const root = entry.slice(0, entry.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}/`.length);
      return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
    } catch {
      return null;
    }
  }
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function engineVersions(): { name: string; version: string; status: string }[] {
  const engines: [string, string, string][] = [
    ['ngspice (wasm)', 'eecircuit-engine', 'circuit simulation'],
    ['HiGHS (wasm)', 'highs', 'MIP repair solver'],
    ['TensorFlow.js', '@tensorflow/tfjs', 'learning agents'],
    ['TensorFlow.js wasm backend', '@tensorflow/tfjs-backend-wasm', 'learning backend'],
    ['TensorFlow.js node (GPU)', '@tensorflow/tfjs-node-gpu', 'learning backend (CUDA)'],
    ['TensorFlow.js node', '@tensorflow/tfjs-node', 'learning backend (native CPU)'],
    ['graphology', 'graphology', 'grid topology'],
  ];
  return engines.map(([name, pkg, role]) => {
    const v = pkgVersion(pkg);
    return { name, version: v ?? '-', status: v ? `installed (${role})` : `not installed (${role})` };
  });
}
