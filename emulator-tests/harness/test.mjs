// `npm test`: installs what is missing, builds, then runs every unit and emulator test against
// freshly started emulators on free ports: the TypeScript tests in one node:test run, then the
// Python client's pytest suite twice (with cryptography, and with the pure-Python verifier), all
// in the same emulator run (suites.mjs). Prints each runner's summary and the totals; exits
// non-zero on any failure and leaves no process behind.
//   npm test                                   all tests
//   npm test -- path/to/x.test.ts              only those files
//   npm test -- packages/client-python         only the Python suite (or some of its test files)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
const PYTHON_DIR = 'packages/client-python';
const PYTHON_TESTS = join(PYTHON_DIR, 'tests');
function allTestFiles() {
  const files = [];
  for (const dir of TEST_DIRS) {
    const abs = join(ROOT, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs).sort()) if (f.endsWith('.test.ts')) files.push(join(dir, f));
  }
  return files;
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-')).map((f) => relative(ROOT, join(process.cwd(), f)));
const isPython = (f) => f === PYTHON_DIR || f.startsWith(`${PYTHON_DIR}/`);
const nodeFiles = requested.length > 0 ? requested.filter((f) => !isPython(f)) : allTestFiles();
const pythonPaths = requested.length > 0 ? requested.filter(isPython).map((f) => (f === PYTHON_DIR ? PYTHON_TESTS : f)) : [PYTHON_TESTS];

const command = [
  process.execPath,
  join(ROOT, 'emulator-tests', 'harness', 'suites.mjs'),
  '--node',
  ...nodeFiles.map((f) => join(ROOT, f)),
  '--python',
  ...pythonPaths.map((f) => join(ROOT, f)),
];
const totalsFile = join(ROOT, '.emulators', `test-totals-${process.pid}.json`);

let code;
try {
  code = await runWithEmulators('test', { secrets: newSecrets(), command, env: { SEATKEY_TOTALS_FILE: totalsFile } });
} catch (e) {
  console.error(`[seatkey] ${e.message}`);
  code = 1;
}
// The runner writes its totals last: without them the run did not finish (the emulators were
// stopped, say, which firebase-tools reports as a clean exit), and that is no pass.
const totals = existsSync(totalsFile) ? JSON.parse(readFileSync(totalsFile, 'utf8')) : undefined;
rmSync(totalsFile, { force: true });
if (code === 0 && !totals) {
  console.error('[seatkey] the test run did not finish');
  code = 1;
}
console.log(code === 0 ? '[seatkey] all tests passed' : `[seatkey] tests FAILED (exit ${code})`);
if (totals) console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);
