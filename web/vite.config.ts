import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

/**
 * One build for the three apps. Root is web/, output web/dist/:
 *   dist/index.html          diner   (served at `/`, opened as `/?table=<table code>`)
 *   dist/kitchen/index.html  kitchen (served at `/kitchen`)
 *   dist/staff/index.html    staff   (served at `/staff`)
 *   dist/assets/*            hashed, shared chunks (preact, signals, web/shared) split out once
 * `npm run dev:web` proxies /api, /ws and /config.json to the local runtime (PLATO_API_URL).
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const page = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const apiTarget = process.env.PLATO_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    cssCodeSplit: true,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        diner: page('./index.html'),
        kitchen: page('./kitchen/index.html'),
        staff: page('./staff/index.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/config.json': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
    },
  },
});
