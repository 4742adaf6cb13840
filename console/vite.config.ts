// The console's build: a static SPA in dist/, which firebase.json's Hosting serves (API calls go
// to /api/<function> through Hosting's rewrites, so there is no CORS and no API origin to set).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
});
