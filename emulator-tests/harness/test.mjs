// `npm test`: installs what is missing, builds, then runs every unit and emulator test in one
// node:test run against freshly started emulators on free ports, and prints the runner's summary.
// Exits non-zero on any failure and leaves no process behind.
//   npm test                       all tests
//   npm test -- path/to/x.test.ts  only those files
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureInstalled, ROOT } from './install.mjs';
import { runWithEmulators } from './emulators.mjs';
import { newSecrets } from './secrets.mjs';
import { buildConsole } from './console.mjs';

ensureInstalled();

const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'functions'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[seatkey] build failed');
  process.exit(1);
}
buildConsole();

const TEST_DIRS = ['functions/test', 'emulator-tests', 'packages/client/test'];
function allTestFiles() {
  const files = [];
  for (const dir of TEST_DIRS) {
    const abs = join(ROOT, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs).sort()) if (f.endsWith('.test.ts')) files.push(join(dir, f));
  }
  return files;
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = requested.length > 0 ? requested.map((f) => relative(ROOT, join(process.cwd(), f))) : allTestFiles();

const command = [
  process.execPath,
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  // Per test, and per file as a whole: the console's browser walk is one file of a dozen steps
  // that share a page, several minutes on a loaded two-core machine.
  '--test-timeout=600000',
  ...files.map((f) => join(ROOT, f)),
];

let code;
try {
  code = await runWithEmulators('test', { secrets: newSecrets(), command });
} catch (e) {
  console.error(`[seatkey] ${e.message}`);
  code = 1;
}
console.log(code === 0 ? '[seatkey] all tests passed' : `[seatkey] tests FAILED (exit ${code})`);
process.exit(code);
