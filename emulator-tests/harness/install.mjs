// Installs the workspace's dependencies when they are missing or stale, and does nothing
// otherwise: `npm start`, `npm test` and `npm run bench` call it first, so a fresh clone needs
// no separate install step. Stale means package-lock.json changed since the last install.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STAMP = join(ROOT, 'node_modules', '.seatkey-install-stamp');

function lockDigest() {
  const lock = join(ROOT, 'package-lock.json');
  const parts = [lock, join(ROOT, 'package.json'), join(ROOT, 'functions', 'package.json')]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f));
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex');
}

export function ensureInstalled() {
  const digest = lockDigest();
  const needed =
    !existsSync(join(ROOT, 'node_modules', '.bin', 'firebase')) ||
    !existsSync(join(ROOT, 'node_modules', 'firebase-functions')) ||
    !existsSync(STAMP) ||
    readFileSync(STAMP, 'utf8') !== digest;
  if (!needed) return;
  const useCi = existsSync(join(ROOT, 'package-lock.json'));
  console.log(`[seatkey] installing dependencies (npm ${useCi ? 'ci' : 'install'})…`);
  const r = spawnSync('npm', [useCi ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[seatkey] npm install failed');
    process.exit(r.status ?? 1);
  }
  writeFileSync(STAMP, lockDigest());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureInstalled();
