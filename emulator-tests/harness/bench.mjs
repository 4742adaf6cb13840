// `npm run bench`: builds, then runs bench/run.ts against freshly started emulators.
//   npm run bench                  every suite
//   npm run bench -- foundation    only the named suites
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureInstalled, ROOT } from './install.mjs';
import { runWithEmulators } from './emulators.mjs';
import { newSecrets } from './secrets.mjs';
import { buildConsole } from './console.mjs';

ensureInstalled();
if (spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'functions'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
buildConsole();
const suites = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let code;
try {
  code = await runWithEmulators('bench', {
    secrets: newSecrets(),
    // The floors the client benchmarks compare against: never deployed, only staged here.
    codebases: [{ codebase: 'floors', source: 'bench/floors' }],
    command: [process.execPath, '--import', 'tsx', join(ROOT, 'bench', 'run.ts'), ...suites],
    // Each reply carries its request's Firestore reads, writes and deletes (the cost suite).
    env: { SEATKEY_COUNT_FIRESTORE_OPS: '1' },
  });
} catch (e) {
  console.error(`[seatkey] ${e.message}`);
  code = 1;
}
process.exit(code);
