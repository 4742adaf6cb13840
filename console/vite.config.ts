// The console's build: a static SPA in dist/, which firebase.json's Hosting serves (API calls go
// to /api/<function> through Hosting's rewrites, so there is no CORS and no API origin to set).
// A second page, reference.html, renders public/openapi.json (written by scripts/openapi.mjs).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // The reference page's renderer is one chunk of its own, loaded only there.
    chunkSizeWarningLimit: 700,
    rolldownOptions: { input: { console: page('index.html'), reference: page('reference.html') } },
  },
});
