// Entry of worker threads whose code is TypeScript (development, tests, CLI through tsx): registers
// tsx's loader in this thread, then loads the real entry given as the worker's first argv.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
