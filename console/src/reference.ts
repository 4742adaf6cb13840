// The API reference page (/reference): openapi.json, which the build writes beside the console
// (scripts/openapi.mjs), rendered by openapi-explorer. The renderer is bundled by Vite like the
// rest of the console: nothing is fetched from a CDN, so the page works offline and in the emulator.
import 'openapi-explorer';

const status = document.getElementById('status');
const explorer = document.querySelector('openapi-explorer');

// An operation's credential badges: the renderer pins them to the top right corner of the
// operation (absolute), where they are drawn over the tag's heading, and at widths under 1150px
// they run off to the left under the navigation; on phones it hides them. No part is exported for
// them, so a sheet adopted into the renderer's shadow root puts them in the flow instead: a row
// of their own under the operation's description, wrapping, at every width.
const badges = new CSSStyleSheet();
badges.replaceSync(`
  .security-info-button { position: static; display: block; margin: 0 0 0.75rem; }
  .security-info-button > div { flex-wrap: wrap; align-items: center; row-gap: 4px; justify-content: flex-start !important; min-width: 0 !important; max-width: none !important; }
`);
const root = explorer?.shadowRoot;
if (root) root.adoptedStyleSheets = [...root.adoptedStyleSheets, badges];
explorer?.addEventListener('spec-loaded', () => status?.remove());
// The document is a static file; if it cannot be read, say so instead of an empty page.
fetch('/openapi.json', { method: 'HEAD' })
  .then((res) => {
    if (!res.ok && status) status.textContent = `The API document could not be loaded (${res.status}).`;
  })
  .catch(() => {
    if (status) status.textContent = 'The API document could not be loaded. Check your connection and reload.';
  });
