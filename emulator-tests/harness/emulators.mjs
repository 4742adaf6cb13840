// The emulator harness: starts the Firestore, Functions, Auth and Hosting emulators on free ports
// (Hosting serves the built console and rewrites /api/<name> to the functions), runs a command
// against them, and stops everything (java included) however the run ends.
//
// On these machines firebase-tools' own Firestore emulator needs Java 21+ and a download, so the
// Cloud SDK's emulator jar is started directly with the machine's Java and handed to the
// Functions emulator through FIRESTORE_EMULATOR_HOST. Where Java 21+ is present and no SDK jar
// is found, firebase-tools runs both emulators itself.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync, copyFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './install.mjs';
import { toDotenv } from './secrets.mjs';
import { consoleConfig, stageConsole } from './console.mjs';
import { tailFile } from './tail.mjs';

export const PROJECT = 'demo-seatkey';
export const REGION = 'us-central1';
const FIREBASE = join(ROOT, 'node_modules', '.bin', 'firebase');
const log = (msg) => console.log(`[seatkey] ${msg}`);

/** `count` distinct TCP ports nothing is listening on right now (held open until all are found). */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const srv = createServer();
      await new Promise((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', resolve);
      });
      servers.push(srv);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

export function javaMajor() {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error) return 0;
  const m = `${r.stderr}${r.stdout}`.match(/version "(\d+)(?:\.(\d+))?/);
  if (!m) return 0;
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

/** The Cloud SDK's Firestore emulator jar, if installed. */
export function firestoreJar() {
  const rel = join('platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');
  const candidates = [process.env.FIRESTORE_EMULATOR_JAR];
  const info = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8' });
  if (!info.error && info.status === 0 && info.stdout.trim()) candidates.push(join(info.stdout.trim(), rel));
  candidates.push(join('/usr/lib/google-cloud-sdk', rel), join('/usr/share/google-cloud-sdk', rel), join('/opt/google-cloud-sdk', rel));
  return candidates.find((p) => p && existsSync(p));
}

async function waitFor(url, timeoutMs, what, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
}

/** Loads firestore.rules into a running Firestore emulator (its REST call for rules). */
export async function loadRules(host) {
  const content = readFileSync(join(ROOT, 'firestore.rules'), 'utf8');
  const res = await fetch(`http://${host}/emulator/v1/projects/${PROJECT}:securityRules`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: { files: [{ name: 'firestore.rules', content }] } }),
  });
  if (!res.ok) throw new Error(`Loading firestore.rules failed: ${res.status} ${await res.text()}`);
}

/**
 * Starts the Cloud SDK's Firestore emulator jar; resolves once it answers. `importFrom` (an
 * export's `.overall_export_metadata` file) loads saved data; `detached` puts java in its own
 * process group, so a Ctrl-C at the terminal reaches only our script, which exports first.
 */
export async function startFirestore({ port, logFile, importFrom, detached = false }) {
  const jar = firestoreJar();
  if (!jar) throw new Error('No Firestore emulator found: install google-cloud-cli-firestore-emulator, set FIRESTORE_EMULATOR_JAR, or use Java 21+ (see README: Prerequisites).');
  const host = `127.0.0.1:${port}`;
  const out = createWriteStream(logFile);
  const child = spawn(
    'java',
    [
      '-Duser.language=en',
      '-cp',
      jar,
      'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
      'start',
      `--host=127.0.0.1`,
      `--port=${port}`,
      ...(importFrom ? [`--import-data=${importFrom}`] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    t.unref();
  };
  try {
    await waitFor(`http://${host}/`, 60_000, 'The Firestore emulator', child);
    await loadRules(host);
  } catch (e) {
    stop();
    throw e;
  }
  return { host, child, stop, exited: new Promise((r) => child.once('exit', r)) };
}

/**
 * Exports a running Firestore emulator's data into `dir` (its REST call for exports), replacing
 * what was there only once the new export is complete. Returns the export's metadata file.
 */
export async function exportFirestore(host, dir) {
  const next = `${dir}.new`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  const res = await fetch(`http://${host}/emulator/v1/projects/${PROJECT}:export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ database: `projects/${PROJECT}/databases/(default)`, export_directory: next }),
  });
  if (!res.ok) throw new Error(`exporting the Firestore emulator's data failed: ${res.status} ${await res.text()}`);
  const metadata = firestoreExportIn(next);
  if (!metadata) throw new Error('the Firestore emulator wrote no export metadata');
  rmSync(dir, { recursive: true, force: true });
  renameSync(next, dir);
  return firestoreExportIn(dir);
}

/**
 * Exports what firebase-tools' emulators hold (the Auth emulator's accounts, its Firestore if it
 * runs one) through the run's own hub into `dir`, replacing what was there once it is complete.
 */
export async function exportThroughHub(hubPort, dir) {
  const next = `${dir}.new`;
  rmSync(next, { recursive: true, force: true });
  const res = await fetch(`http://127.0.0.1:${hubPort}/_admin/export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: next, initiatedBy: 'seatkey' }),
  });
  if (!res.ok) throw new Error(`exporting the emulators' data failed: ${res.status} ${await res.text()}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(next, dir);
}

/** The `.overall_export_metadata` file of an export made by exportFirestore, if any. */
export function firestoreExportIn(dir) {
  if (!existsSync(dir)) return undefined;
  for (const sub of readdirSync(dir)) {
    const candidate = join(dir, sub, `${sub}.overall_export_metadata`);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A private copy of the functions source for one run: its package.json, a link to the built
 * lib/, and its own .secret.local, so a test run never touches the developer's secrets file.
 * `codebases` adds more functions codebases ({ codebase, source: a folder under ROOT }), staged
 * the same way: a copy of package.json and links to everything else (the bench's floors).
 */
export function stageRun(purpose, { secrets, ports, firestoreByFirebase, codebases = [], linkConsole = false }) {
  const dir = join(ROOT, '.emulators', `${purpose}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const fnDir = join(dir, 'functions');
  mkdirSync(fnDir, { recursive: true });
  copyFileSync(join(ROOT, 'functions', 'package.json'), join(fnDir, 'package.json'));
  // The parameters' values (functions/.env), so the emulator never prompts for them.
  if (existsSync(join(ROOT, 'functions', '.env'))) copyFileSync(join(ROOT, 'functions', '.env'), join(fnDir, '.env'));
  symlinkSync(join(ROOT, 'functions', 'lib'), join(fnDir, 'lib'), 'dir');
  writeFileSync(join(fnDir, '.secret.local'), toDotenv(secrets), { mode: 0o600 });
  for (const { codebase, source } of codebases) {
    mkdirSync(join(dir, codebase));
    for (const entry of readdirSync(join(ROOT, source))) {
      if (entry === 'package.json') copyFileSync(join(ROOT, source, entry), join(dir, codebase, entry));
      else symlinkSync(join(ROOT, source, entry), join(dir, codebase, entry));
    }
  }
  // The console, served by Hosting with the same rewrites as production (firebase.json).
  const hosting = JSON.parse(readFileSync(join(ROOT, 'firebase.json'), 'utf8')).hosting;
  stageConsole(join(dir, 'public'), consoleConfig(PROJECT, ports.auth), { link: linkConsole });
  const emulators = {
    functions: { host: '127.0.0.1', port: ports.functions },
    auth: { host: '127.0.0.1', port: ports.auth },
    hosting: { host: '127.0.0.1', port: ports.hosting },
    hub: { host: '127.0.0.1', port: ports.hub },
    logging: { host: '127.0.0.1', port: ports.logging },
    tasks: { host: '127.0.0.1', port: ports.tasks },
    eventarc: { host: '127.0.0.1', port: ports.eventarc },
    ui: { enabled: false },
    singleProjectMode: true,
  };
  const config = {
    functions: [
      { source: 'functions', codebase: 'default', runtime: 'nodejs22' },
      ...codebases.map(({ codebase }) => ({ source: codebase, codebase, runtime: 'nodejs22' })),
    ],
    hosting: { public: 'public', rewrites: hosting.rewrites },
    emulators,
  };
  if (firestoreByFirebase) {
    emulators.firestore = { host: '127.0.0.1', port: ports.firestore };
    copyFileSync(join(ROOT, 'firestore.rules'), join(dir, 'firestore.rules'));
    config.firestore = { rules: 'firestore.rules' };
  }
  const configPath = join(dir, 'firebase.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { dir, configPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function allocatePorts() {
  const names = ['firestore', 'functions', 'auth', 'hosting', 'hub', 'logging', 'tasks', 'eventarc'];
  const found = await freePorts(names.length);
  return Object.fromEntries(names.map((n, i) => [n, found[i]]));
}

export const functionsBaseUrl = (port) => `http://127.0.0.1:${port}/${PROJECT}/${REGION}`;

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/**
 * Runs `command` (argv) with the emulators up and returns its exit code. The command sees
 * FIRESTORE_EMULATOR_HOST, SEATKEY_BASE_URL, SEATKEY_AUTH_HOST, SEATKEY_CONSOLE_URL and the run's
 * secrets as SEATKEY_<NAME>; its output
 * is streamed here as it runs. The emulators' own output (every function invocation) goes to
 * .emulators/<run>/emulators.log instead, printed in part if the emulators fail.
 */
export async function runWithEmulators(purpose, { secrets, command, env = {}, codebases = [] }) {
  const ports = await allocatePorts();
  const useJar = Boolean(firestoreJar());
  if (!useJar && javaMajor() < 21) {
    throw new Error('No Firestore emulator: install google-cloud-cli-firestore-emulator (Java 17+) or Java 21+ for firebase-tools\' own (README: Prerequisites).');
  }
  const stage = stageRun(purpose, { secrets, ports, firestoreByFirebase: !useJar, codebases });
  const logPath = join(stage.dir, 'emulators.log');
  const outPath = join(stage.dir, 'output.txt');
  const stopTail = tailFile(outPath);
  let firestore;
  let firebase;
  let code;
  const stopAll = () => {
    if (firebase && firebase.exitCode === null) firebase.kill('SIGINT');
    firestore?.stop();
  };
  // An interrupted run never reports success, however the emulators exit.
  let interrupted = false;
  const onSignal = (sig) => {
    interrupted = true;
    log(`${sig}: stopping emulators`);
    stopAll();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (useJar) {
      log(`starting the Firestore emulator on 127.0.0.1:${ports.firestore}`);
      firestore = await startFirestore({ port: ports.firestore, logFile: join(stage.dir, 'firestore.log') });
    }
    const runEnv = {
      ...process.env,
      ...env,
      SEATKEY_BASE_URL: functionsBaseUrl(ports.functions),
      SEATKEY_PROJECT: PROJECT,
      SEATKEY_FIRESTORE_HOST: `127.0.0.1:${ports.firestore}`,
      SEATKEY_AUTH_HOST: `127.0.0.1:${ports.auth}`,
      SEATKEY_CONSOLE_URL: `http://127.0.0.1:${ports.hosting}`,
      // The staged sources (the client bench finds this run's emulator workers by their directory).
      SEATKEY_STAGE_DIR: stage.dir,
      GCLOUD_PROJECT: PROJECT,
      // Offline: stop Google's auth library probing for a GCE metadata server.
      METADATA_SERVER_DETECTION: 'none',
      // The Functions emulator starts a worker process per simultaneous request and gives each
      // 30 s to load; on a loaded two-core machine 30+ of them at once can take longer, and a
      // worker that misses the deadline leaves its request unanswered.
      FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? '180',
      ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [`SEATKEY_${k}`, v])),
    };
    if (useJar) runEnv.FIRESTORE_EMULATOR_HOST = firestore.host;
    log(`starting the Functions emulator on 127.0.0.1:${ports.functions}`);
    const out = createWriteStream(logPath);
    const only = useJar ? 'functions,auth,hosting' : 'functions,firestore,auth,hosting';
    firebase = spawn(
      FIREBASE,
      ['emulators:exec', '--config', stage.configPath, '--only', only, '--project', PROJECT, `${command.map(shellQuote).join(' ')} >${shellQuote(outPath)} 2>&1`],
      { cwd: ROOT, env: runEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    firebase.stdout.pipe(out);
    firebase.stderr.pipe(out);
    code = await new Promise((resolve) => firebase.once('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
    if (interrupted && code === 0) code = 130;
    if (code !== 0) {
      const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
      if (!/Script exited (successfully|unsuccessfully)/.test(text)) {
        log(`the emulators failed; last lines of ${logPath}:`);
        console.log(text.split('\n').slice(-40).join('\n'));
      }
    }
    return code;
  } finally {
    stopTail();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stopAll();
    if (firestore) await firestore.exited;
    // Keep the logs of a failed run for whoever reads it next.
    if (code === 0 && process.env.SEATKEY_KEEP_LOGS !== '1') stage.cleanup();
    else log(`emulator logs kept in ${stage.dir}`);
  }
}
