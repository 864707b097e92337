import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web client's build. Everything vite emits goes under assets/ (the gateway serves only /,
// /index.html, /assets/** and /favicon.svg without a token).
export default defineConfig({
  base: '/',
  resolve: {
    // The protocol client straight from its TypeScript source: no build of clients/js first.
    alias: { '@chat/client': fileURLToPath(new URL('../js/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    port: 5173,
    strictPort: true,
    // Development against `./chat up`: the API and the socket through nginx on :8000.
    proxy: {
      '/api': { target: 'http://localhost:8000', changeOrigin: false },
      '/ws': { target: 'ws://localhost:8000', ws: true },
    },
  },
  preview: { port: 4173, strictPort: true },
});
