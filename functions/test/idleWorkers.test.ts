// npm start's bound on idle emulator workers (harness/workers.mjs): a worker whose CPU time has
// not moved for the idle period is stopped; one that keeps working is left alone. Stand-in
// workers: node processes with a worker's marks (their directory is the staged functions folder,
// their command line names functionsEmulatorRuntime).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ownWorkers, reapIdleWorkers } from '../../emulator-tests/harness/workers.mjs';

test('stops the idle workers of its own stage and only those', async () => {
  const stage = mkdtempSync(join(tmpdir(), 'seatkey-reap-'));
  const other = mkdtempSync(join(tmpdir(), 'seatkey-reap-other-'));
  mkdirSync(join(stage, 'functions'));
  mkdirSync(join(other, 'functions'));
  const worker = (dir: string, busy: boolean): ChildProcess =>
    spawn(process.execPath, ['-e', busy ? 'for(;;){}' : 'setTimeout(() => {}, 1e9)', 'functionsEmulatorRuntime'], { cwd: join(dir, 'functions'), stdio: 'ignore' });
  const idle = worker(stage, false);
  const busy = worker(stage, true);
  const elsewhere = worker(other, false);
  const gone = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ownWorkers(stage).sort(), [idle.pid, busy.pid].sort());
    const stop = reapIdleWorkers(stage, { idleMs: 1_000, everyMs: 200 });
    const reaped = await Promise.race([gone(idle).then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20_000).unref())]);
    stop();
    assert.ok(reaped, 'the idle worker was not stopped within 20 s');
    assert.equal(idle.signalCode, 'SIGTERM');
    assert.equal(busy.exitCode, null, 'a working worker is left alone');
    assert.equal(busy.signalCode, null);
    assert.equal(elsewhere.signalCode, null, "another run's worker is left alone");
  } finally {
    for (const c of [idle, busy, elsewhere]) c.kill('SIGKILL');
    rmSync(stage, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});
