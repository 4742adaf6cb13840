// The Functions emulator's worker processes of one run, and stopping them when none is busy.
// The emulator starts a worker (~75–130 MB) per function per simultaneous request and keeps
// every one it ever started; its only way to drop idle ones, a reload on a source change, never
// fires here (its file watcher ignores the dot-folder runs are staged in). A worker stopped while
// idle is noticed by the emulator at once and replaced on demand.
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** PIDs of the workers serving `codebases` staged under `stageDir`, found by working directory. */
export function ownWorkers(stageDir = process.env.SEATKEY_STAGE_DIR, codebases = ['functions', 'floors']) {
  if (!stageDir || !existsSync('/proc')) return [];
  const sources = new Set(codebases.map((c) => join(stageDir, c)));
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (sources.has(readlinkSync(`/proc/${entry}/cwd`)) && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('functionsEmulatorRuntime')) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/** Stops this run's workers and waits until they are gone. Call only when no request is in flight. */
export async function recycleWorkers(stageDir = process.env.SEATKEY_STAGE_DIR) {
  for (const pid of ownWorkers(stageDir)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + 30_000;
  while (ownWorkers(stageDir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

/** A process's CPU time so far (user + system, in clock ticks), or undefined once it is gone. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * For a long-running emulator (`npm start`), where no moment is known to be idle: every
 * `everyMs`, stops each worker whose CPU time has not moved for `idleMs` (a worker serving a
 * request uses CPU; one that has used none for minutes has none in flight). Memory then holds
 * only the workers of recent traffic. Returns a function that stops the watching.
 */
export function reapIdleWorkers(stageDir, { idleMs = 120_000, everyMs = 15_000 } = {}) {
  const seen = new Map(); // pid -> { ticks, since }
  const timer = setInterval(() => {
    const now = Date.now();
    const alive = new Set(ownWorkers(stageDir));
    for (const pid of seen.keys()) if (!alive.has(pid)) seen.delete(pid);
    for (const pid of alive) {
      const ticks = cpuTicks(pid);
      if (ticks === undefined) continue;
      const last = seen.get(pid);
      if (!last || last.ticks !== ticks) seen.set(pid, { ticks, since: now });
      else if (now - last.since >= idleMs) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        seen.delete(pid);
      }
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
