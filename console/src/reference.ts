// The API reference page (/reference): openapi.json, which the build writes beside the console
// (scripts/openapi.mjs), rendered by openapi-explorer. The renderer is bundled by Vite like the
// rest of the console: nothing is fetched from a CDN, so the page works offline and in the emulator.
import 'openapi-explorer';

const status = document.getElementById('status');
const explorer = document.querySelector('openapi-explorer');
explorer?.addEventListener('spec-loaded', () => status?.remove());
// The document is a static file; if it cannot be read, say so instead of an empty page.
fetch('/openapi.json', { method: 'HEAD' })
  .then((res) => {
    if (!res.ok && status) status.textContent = `The API document could not be loaded (${res.status}).`;
  })
  .catch(() => {
    if (status) status.textContent = 'The API document could not be loaded. Check your connection and reload.';
  });
