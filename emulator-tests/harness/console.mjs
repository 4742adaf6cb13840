// The creators' console (console/): its production build, and the small config file the local
// Hosting emulator serves beside it so the app finds this run's Auth emulator. In production the
// file is absent and the app reads Hosting's own /__/firebase/init.json instead.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './install.mjs';

export const CONSOLE_DIST = join(ROOT, 'console', 'dist');
export const CONSOLE_CONFIG_FILE = 'seatkey-config.json';

/**
 * Builds console/dist with Vite, after writing the OpenAPI document it serves (scripts/openapi.mjs,
 * from the compiled functions); exits the process when either fails.
 */
export function buildConsole() {
  console.log('[seatkey] writing the OpenAPI document…');
  const doc = spawnSync(process.execPath, [join(ROOT, 'scripts', 'openapi.mjs'), '--build'], { cwd: ROOT, stdio: 'inherit' });
  if (doc.status !== 0) {
    console.error('[seatkey] writing the OpenAPI document failed');
    process.exit(doc.status ?? 1);
  }
  console.log('[seatkey] building the console…');
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: join(ROOT, 'console'), stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[seatkey] the console build failed');
    process.exit(r.status ?? 1);
  }
}

/** What the console needs to reach the emulators: the demo project and the Auth emulator's URL. */
export const consoleConfig = (project, authPort) => ({
  projectId: project,
  apiKey: 'demo-api-key',
  authDomain: `${project}.firebaseapp.com`,
  authEmulatorUrl: `http://127.0.0.1:${authPort}`,
});

/**
 * Copies the built console to `dir` (a Hosting public folder) with its emulator config. With
 * `link`, `dir` links to console/dist's entries instead, so a rebuild shows on the next reload.
 */
export function stageConsole(dir, config, { link = false } = {}) {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) throw new Error('console/dist is missing: build the console first');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (link) {
    for (const entry of readdirSync(CONSOLE_DIST)) if (entry !== CONSOLE_CONFIG_FILE) symlinkSync(join(CONSOLE_DIST, entry), join(dir, entry));
  } else cpSync(CONSOLE_DIST, dir, { recursive: true });
  writeFileSync(join(dir, CONSOLE_CONFIG_FILE), JSON.stringify(config));
}
