/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import os from 'node:os';
import path from 'node:path';

// Wails dev proxies the Vite dev server and injects window.go / window.runtime. wails.json's
// frontend:dev:serverUrl "auto" reads the URL Vite prints, so the port is left free: several
// `wails dev` runs (e2e, bench, a developer) can share the machine.
// The UI is written against React's API and runs on Preact (preact/compat): the same components
// and hooks, a 10 KB renderer instead of react-dom's 200 KB. In WebKitGTK's JavaScript
// interpreter the first render is mostly the engine compiling the renderer's code on first call,
// so the first screen paints ~30 ms sooner (README, Performance). Every `react` and `react-dom`
// import and the JSX runtime resolve to Preact: in the build, under `wails dev` and in Vitest.
const preact = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
];

export default defineConfig(({ command }) => ({
  plugins: [react()],
  resolve: { alias: preact },
  // Each dev server gets its own pre-bundled deps: several servers sharing node_modules/.vite
  // re-optimise under each other and answer 504 "Outdated Optimize Dep".
  cacheDir: command === 'serve' && !process.env.VITEST ? path.join(os.tmpdir(), `switchboard-vite-${process.pid}`) : 'node_modules/.vite',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      output: {
        // Everything the first screen imports goes into the entry's own chunk. Rollup would
        // otherwise put what the entry shares with the lazy parts (Preact, the i18n, the API, the
        // icons) into a chunk of its own, and WebKitGTK asks for that chunk only once it has
        // parsed the entry (it does not act on the modulepreload hint): one more round trip
        // through the asset server before the first render. The lazy parts stay as they were.
        manualChunks(id, meta) {
          const todo = [id];
          const seen = new Set(todo);
          for (let i = 0; i < todo.length; i++) {
            const info = meta.getModuleInfo(todo[i]);
            if (info?.isEntry) return 'index';
            for (const m of info?.importers ?? []) {
              if (!seen.has(m)) todo.push(m);
              seen.add(m);
            }
          }
          return undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    // Libraries that import React are compiled with the tests, so they get Preact as well
    // (Testing Library through its ES module build: its CommonJS one would require react-dom).
    alias: [{ find: /^@testing-library\/react$/, replacement: '@testing-library/react/dist/@testing-library/react.esm.js' }],
    server: { deps: { inline: [/@testing-library\/react/, /@tanstack\/react-virtual/] } },
  },
}));
