/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import os from 'node:os';
import path from 'node:path';

// Wails dev proxies the Vite dev server and injects window.go / window.runtime. wails.json's
// frontend:dev:serverUrl "auto" reads the URL Vite prints, so the port is left free: several
// `wails dev` runs (e2e, bench, a developer) can share the machine.
export default defineConfig(({ command }) => ({
  plugins: [react()],
  // Each dev server gets its own pre-bundled deps: several servers sharing node_modules/.vite
  // re-optimise under each other and answer 504 "Outdated Optimize Dep".
  cacheDir: command === 'serve' && !process.env.VITEST ? path.join(os.tmpdir(), `switchboard-vite-${process.pid}`) : 'node_modules/.vite',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
}));
