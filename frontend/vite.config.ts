/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Wails dev proxies the Vite dev server and injects window.go / window.runtime. wails.json's
// frontend:dev:serverUrl "auto" reads the URL Vite prints, so the port is left free: several
// `wails dev` runs (e2e, bench, a developer) can share the machine.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
