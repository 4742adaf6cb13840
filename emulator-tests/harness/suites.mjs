// The command `npm test` runs inside its emulator run: node's test runner over the TypeScript
// test files, then the Python client's pytest suite twice (with `cryptography`, and with it hidden
// so the pure-Python Ed25519 verifier is the one checking tokens), each against the same
// emulators. Prints every runner's own output as it comes, then one line of totals, and writes
// the totals to SEATKEY_TOTALS_FILE for test.mjs. Exits non-zero if any suite failed.
//   node suites.mjs --node <files…> --python <paths…>
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './install.mjs';

/** Debian's python3 (where `.ci/run` installs python3-pytest and python3-cryptography), unless SEATKEY_PYTHON names another. */
export function pythonCommand() {
  if (process.env.SEATKEY_PYTHON) return process.env.SEATKEY_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

const PYTHON_RUNS = [
  { name: 'python client, cryptography', env: { SEATKEY_EXPECT_VERIFIER: 'cryptography' } },
  { name: 'python client, pure-Python verifier', env: { SEATKEY_HIDE_CRYPTOGRAPHY: '1', SEATKEY_EXPECT_VERIFIER: 'pure-python' } },
];
/** A Python run that takes longer than this is stuck: it fails rather than hang npm test. */
const PYTHON_TIMEOUT_MS = 10 * 60_000;

function parseArgs(argv) {
  const out = { node: [], python: [] };
  let into;
  for (const a of argv) {
    if (a === '--node' || a === '--python') into = out[a.slice(2)];
    else into?.push(a);
  }
  return out;
}

/** Runs a command, echoing its output, and counts its tests from the summary lines `count` reads. */
function run(command, args, { env = {}, count, timeoutMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const totals = { passed: 0, failed: 0, skipped: 0 };
    let pending = '';
    const scan = (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) count(line, totals);
    };
    child.stdout.setEncoding('utf8').on('data', scan);
    child.stderr.setEncoding('utf8').on('data', scan);
    const timer = timeoutMs && setTimeout(() => {
      console.log(`[seatkey] ${command} ran past ${timeoutMs / 60_000} minutes: stopping it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      console.log(`[seatkey] could not start ${command}: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (pending) count(pending, totals);
      resolve({ code: code ?? (signal ? 1 : 0), totals });
    });
  });
}

/** node --test's closing lines: "ℹ pass 330", "ℹ fail 0", "ℹ skipped 2". */
function countNode(line, totals) {
  const m = line.match(/^\S*\s*(pass|fail|skipped) (\d+)\s*$/);
  if (m) totals[{ pass: 'passed', fail: 'failed', skipped: 'skipped' }[m[1]]] = Number(m[2]);
}

/** pytest's closing line: "2 failed, 125 passed, 2 skipped in 10.42s". */
function countPytest(line, totals) {
  if (!/ in [\d.]+s\b/.test(line)) return;
  for (const [, n, what] of line.matchAll(/(\d+) (passed|failed|skipped|errors?)\b/g)) {
    totals[what.startsWith('error') ? 'failed' : what] = Number(n);
  }
}

const { node: nodeFiles, python: pythonPaths } = parseArgs(process.argv.slice(2));
const suites = [];

if (nodeFiles.length > 0) {
  // One file at a time (the emulators are shared by all files), and the run's idle emulator
  // workers stopped after each file so memory stays bounded (recycle-after-file.mjs). The timeout
  // is per test and per file as a whole: the console's browser walk is one file of a dozen steps
  // sharing a page, several minutes on a quiet machine and over ten on a loaded two-core one.
  const recycle = join(ROOT, 'emulator-tests', 'harness', 'recycle-after-file.mjs');
  const args = ['--import', 'tsx', '--import', recycle, '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-timeout=1200000', ...nodeFiles];
  const r = await run(process.execPath, args, { count: countNode });
  suites.push({ name: 'node', ...r });
}

if (pythonPaths.length > 0) {
  const python = pythonCommand();
  const probe = spawnSync(python, ['-c', 'import pytest'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(`[seatkey] ${python} cannot import pytest: install Debian's python3-pytest and python3-cryptography (apt-get install python3-pytest python3-cryptography; .ci/run does), or set SEATKEY_PYTHON`);
    suites.push({ name: 'python client', code: 1, totals: { passed: 0, failed: 1, skipped: 0 } });
  } else {
    for (const { name, env } of PYTHON_RUNS) {
      console.log(`\n[seatkey] ${name} (${python} -m pytest)`);
      const r = await run(python, ['-m', 'pytest', '-q', '-rsfE', '-p', 'no:cacheprovider', ...pythonPaths], {
        env: { ...env, SEATKEY_NPM_TEST: '1', PYTHONDONTWRITEBYTECODE: '1' },
        count: countPytest,
        timeoutMs: PYTHON_TIMEOUT_MS,
      });
      // pytest's exit 5 (no tests collected) is a failure too.
      suites.push({ name, ...r });
    }
  }
}

const sum = (k) => suites.reduce((n, s) => n + s.totals[k], 0);
const failedSuites = suites.filter((s) => s.code !== 0);
console.log('');
for (const s of suites) console.log(`[seatkey] ${s.name}: ${s.totals.passed} passed, ${s.totals.failed} failed, ${s.totals.skipped} skipped${s.code === 0 ? '' : ` (exit ${s.code})`}`);
const totals = { passed: sum('passed'), failed: sum('failed') + failedSuites.filter((s) => s.totals.failed === 0).length, skipped: sum('skipped') };
if (process.env.SEATKEY_TOTALS_FILE) writeFileSync(process.env.SEATKEY_TOTALS_FILE, JSON.stringify({ ...totals, suites: suites.map(({ name, code, totals: t }) => ({ name, code, ...t })) }));
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSuites.length > 0 ? 1 : 0);
