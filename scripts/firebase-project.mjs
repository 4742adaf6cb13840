// What `npm run deploy` and `npm run rotate-signing-key` share: the project to act on, and
// running (or, with --dry-run, only printing) firebase-tools commands. Secret values are never
// printed: a command that sets one shows `<new NAME>` in their place.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from '../emulator-tests/harness/install.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIREBASE = join(ROOT, 'node_modules', '.bin', 'firebase');

/** The functions' region, as functions/src/config.ts sets it. */
export function region() {
  const m = readFileSync(join(ROOT, 'functions', 'src', 'config.ts'), 'utf8').match(/export const REGION = '([a-z0-9-]+)'/);
  if (!m) throw new Error('functions/src/config.ts sets no REGION');
  return m[1];
}

export const liveBaseUrl = (project) => `https://${region()}-${project}.cloudfunctions.net`;
export const consoleUrl = (project) => `https://${project}.web.app`;

/** The options both scripts take; exits with usage on anything else. */
export function options(usage, extra = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      options: { project: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false }, ...extra },
    });
  } catch (e) {
    console.error(`${e.message}\n\n${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed.values;
}

/** --project, else .firebaserc's default (what `firebase use` selected). Refuses the local demo project. */
export function selectedProject(given) {
  let project = given;
  const rc = join(ROOT, '.firebaserc');
  if (!project && existsSync(rc)) project = JSON.parse(readFileSync(rc, 'utf8')).projects?.default;
  if (!project) throw new Error('No Firebase project selected: pass --project <id>, or run `npx firebase use --add` first.');
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project)) throw new Error(`"${project}" is not a Firebase project id`);
  if (project.startsWith('demo-')) throw new Error(`"${project}" is a local demo project (the emulators'); deploy to a real one`);
  return project;
}

/**
 * Runs `firebase <args>` (or prints it when dryRun). `input` goes to its stdin (a secret's value,
 * shown as `shownInput`). Returns {status, stdout}; a dry run returns `dryStatus`.
 */
export function firebase(args, { dryRun, input, shownInput, capture = false, dryStatus = 0 } = {}) {
  const shown = `${input !== undefined ? `printf %s '${shownInput ?? '<secret>'}' | ` : ''}npx firebase ${args.join(' ')}`;
  console.log(`${dryRun ? '[dry run] ' : '$ '}${shown}`);
  if (dryRun) return { status: dryStatus, stdout: '' };
  const r = spawnSync(FIREBASE, args, {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    stdio: [input !== undefined ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit', 'inherit'],
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout ?? '' };
}

/** Stops with the message; firebase-tools has printed its own reason above. */
export function fail(message) {
  console.error(`\n${message}`);
  process.exit(1);
}

/**
 * A script's start: its options, the project (or a clear refusal), and, unless it is a dry run,
 * the dependencies installed (firebase-tools and the builds it runs).
 */
export function begin(usage, extra = {}) {
  const opts = options(usage, extra);
  const dryRun = opts['dry-run'];
  let project;
  try {
    project = selectedProject(opts.project);
  } catch (e) {
    fail(e.message);
  }
  if (!dryRun) ensureInstalled();
  return { opts, dryRun, project };
}
