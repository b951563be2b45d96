/**
 * Builds the desktop app: the thin Electron main (main/electron/index.ts, which loads the engine's
 * TypeScript at run time through tsx, exactly as the CLI and web mode do), the sandboxed preload
 * (CommonJS) and the React renderer (renderer/ -> out/renderer, also served by web mode).
 */
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(__dirname, 'main/electron/index.ts') },
        external: ['electron', 'tsx', /^tsx\//, /^node:/],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      minify: true,
      chunkSizeWarningLimit: 2000,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
