#!/usr/bin/env node
// The optiloop command. It runs the TypeScript engine through tsx in a child Node process started
// with V8's --no-liftoff (the wasm engines run 5-7x faster for hundreds of runs without Liftoff);
// worker threads inherit both flags.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../main/cli/index.ts', import.meta.url));
const child = spawn(process.execPath, ['--no-liftoff', '--import', 'tsx', entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// Ctrl-C reaches the child from the terminal (same process group): the child cancels its job and
// keeps the best result. This wrapper only waits for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 : 1);
});
