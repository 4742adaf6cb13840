// `npm start`: a local Seatkey with one command. Installs what is missing, builds the functions
// and the console, writes functions/.secret.local with fresh secrets on first run, starts the
// Firestore, Functions, Auth and Hosting emulators with the data kept from the last run, seeds a
// demo login (owner of the demo creator), API key, product and licence, and prints a summary
// last: the console, the demo login and `export` lines to paste (BASE, KEY, WEBHOOK_SECRET …).
// The emulators' own output goes to a log file; each buyer email queued is printed as it comes.
// One Ctrl-C saves the data, stops everything (java and the function workers included) and
// prints "Stopped".
//   npm start                 keep data in .seatkey-data/ (SEATKEY_DATA_DIR), reuse it next time
//   npm start -- --fresh      delete the kept data first
// For the start script's own test: SEATKEY_SECRET_FILE (another secrets file),
// SEATKEY_START_PORTS=free (free ports instead of firebase.json's), SEATKEY_START_NO_BUILD=1.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureInstalled, ROOT } from './install.mjs';
import { PROJECT, exportFirestore, exportThroughHub, firestoreExportIn, firestoreJar, freePorts, functionsBaseUrl, javaMajor, stageRun, startFirestore } from './emulators.mjs';
import { newSecrets, parseDotenv, toDotenv } from './secrets.mjs';
import { seedDemo } from './seed.mjs';
import { buildConsole } from './console.mjs';
import { ownWorkers, reapIdleWorkers } from './workers.mjs';
import { watchMail } from './inbox.mjs';

const log = (msg) => console.log(`[seatkey] ${msg}`);
const args = process.argv.slice(2);
const shown = (path) => (path.startsWith(ROOT) ? relative(ROOT, path) : path);

const DATA = resolve(process.env.SEATKEY_DATA_DIR ?? join(ROOT, '.seatkey-data'));
if (args.includes('--fresh')) {
  rmSync(DATA, { recursive: true, force: true });
  log(`--fresh: deleted the kept data (${shown(DATA)})`);
}
mkdirSync(DATA, { recursive: true });
const FIRESTORE_DATA = join(DATA, 'firestore');
const FIREBASE_DATA = join(DATA, 'firebase'); // the Auth emulator's (and firebase-tools' Firestore's) export
const DEMO_FILE = join(DATA, 'demo.json');
const LOG_FILE = join(DATA, 'emulators.log');

ensureInstalled();
if (process.env.SEATKEY_START_NO_BUILD !== '1') {
  log('building the functions, the client SDK (for `npm run example`) and the console…');
  for (const project of ['functions', 'packages/client']) {
    if (spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', project], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
  }
  buildConsole();
}

const secretFile = resolve(process.env.SEATKEY_SECRET_FILE ?? join(ROOT, 'functions', '.secret.local'));
if (!existsSync(secretFile)) {
  writeFileSync(secretFile, toDotenv(newSecrets()), { mode: 0o600 });
  log(`wrote fresh secrets to ${shown(secretFile)}`);
}
const secrets = parseDotenv(readFileSync(secretFile, 'utf8'));
// A weak ADMIN_SECRET turns super-admin access off (functions/src/domain/adminSecret.ts): replace
// one left from an older run or typed by hand with a strong one, keeping the other secrets.
const { adminSecretWeakness } = await import('../../functions/lib/domain/adminSecret.js');
const weakness = secrets.ADMIN_SECRET ? adminSecretWeakness(secrets.ADMIN_SECRET) : undefined;
if (weakness) {
  secrets.ADMIN_SECRET = newSecrets().ADMIN_SECRET;
  writeFileSync(secretFile, toDotenv(secrets), { mode: 0o600 });
  log(`the ADMIN_SECRET in ${shown(secretFile)} was weak (${weakness}): wrote a strong one`);
}
for (const name of ['ADMIN_SECRET', 'WEBHOOK_SECRET', 'SIGNING_KEY']) {
  if (!secrets[name]) {
    console.error(`[seatkey] ${shown(secretFile)} has no ${name}; delete the file to get fresh secrets`);
    process.exit(1);
  }
}

const useJar = Boolean(firestoreJar());
if (!useJar && javaMajor() < 21) {
  console.error('[seatkey] No Firestore emulator: install google-cloud-cli-firestore-emulator (Java 17+) or Java 21+ (README: Prerequisites).');
  process.exit(1);
}

/** firebase.json's emulator ports where all are free (or SEATKEY_START_PORTS=free), else free ones. */
async function choosePorts() {
  const wanted = JSON.parse(readFileSync(join(ROOT, 'firebase.json'), 'utf8')).emulators;
  const names = ['firestore', 'functions', 'auth', 'hosting', 'hub', 'logging', 'tasks', 'eventarc'];
  const isFree = (port) =>
    spawnSync(process.execPath, ['-e', `require('net').createServer().once('error',()=>process.exit(1)).listen(${port},'127.0.0.1',function(){this.close()})`]).status === 0;
  if (process.env.SEATKEY_START_PORTS !== 'free' && names.every((n) => isFree(wanted[n].port))) {
    return Object.fromEntries(names.map((n) => [n, wanted[n].port]));
  }
  const found = await freePorts(names.length);
  if (process.env.SEATKEY_START_PORTS !== 'free') log('some of firebase.json\'s emulator ports are taken (another npm start?): using free ones');
  return Object.fromEntries(names.map((n, i) => [n, found[i]]));
}
const ports = await choosePorts();
const stage = stageRun('start', { secrets, ports, firestoreByFirebase: !useJar, linkConsole: true });
const baseUrl = functionsBaseUrl(ports.functions);
const authHost = `127.0.0.1:${ports.auth}`;
const consoleUrl = `http://127.0.0.1:${ports.hosting}`;
const firestoreHost = `127.0.0.1:${ports.firestore}`;

let firestore;
let firebase;
let hubUp = false;
let stopping = false;
const cleanups = [];
const exited = (child) => (!child || child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));

async function stop(code = 0, reason = '') {
  if (stopping) {
    log('still stopping (saving the data); one moment…');
    return;
  }
  stopping = true;
  console.log(`\n[seatkey] ${reason ? `${reason}; ` : ''}stopping: saving the data to ${shown(DATA)}…`);
  for (const fn of cleanups) fn();
  if (firestore && firestore.child.exitCode === null) {
    try {
      await exportFirestore(firestore.host, FIRESTORE_DATA);
    } catch (e) {
      console.error(`[seatkey] ${e.message} (the data of this run is not saved)`);
    }
  }
  // The Auth emulator's accounts (and, without the jar, firebase-tools' Firestore), through this
  // run's own hub. Not --export-on-exit: that finds the hub through a file per project id in the
  // temp folder, which the newest emulator run on the machine overwrites, and exports that one's.
  if (firebase && firebase.exitCode === null && hubUp) {
    try {
      await exportThroughHub(ports.hub, FIREBASE_DATA);
    } catch (e) {
      console.error(`[seatkey] ${e.message} (the accounts of this run are not saved)`);
    }
  }
  // One SIGINT to firebase-tools alone (it has its own process group, so the terminal's Ctrl-C
  // never reached it): it stops its emulators and workers.
  if (firebase && firebase.exitCode === null) {
    firebase.kill('SIGINT');
    const force = setTimeout(() => {
      try {
        process.kill(-firebase.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }, 30_000);
    await exited(firebase);
    clearTimeout(force);
  }
  firestore?.stop();
  await firestore?.exited;
  for (const pid of ownWorkers(stage.dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  stage.cleanup();
  console.log('[seatkey] Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// A closed terminal too: the emulators run in their own process groups and would outlive us.
process.on('SIGHUP', () => void stop(0));

const out = createWriteStream(LOG_FILE, { flags: 'a' });
out.write(`\n=== npm start at ${new Date().toISOString()} ===\n`);
const env = {
  ...process.env,
  FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? '180',
  GCLOUD_PROJECT: PROJECT,
  METADATA_SERVER_DETECTION: 'none',
};
if (useJar) {
  const saved = firestoreExportIn(FIRESTORE_DATA);
  log(`starting the Firestore emulator${saved ? ' with the kept data' : ''}…`);
  try {
    firestore = await startFirestore({ port: ports.firestore, logFile: join(DATA, 'firestore.log'), importFrom: saved, detached: true });
  } catch (e) {
    console.error(`[seatkey] ${e.message} (see ${shown(join(DATA, 'firestore.log'))})`);
    await stop(1);
  }
  env.FIRESTORE_EMULATOR_HOST = firestore.host;
}

log(`starting the Functions, Auth and Hosting emulators (their output: ${shown(LOG_FILE)})…`);
const keepAuth = existsSync(join(FIREBASE_DATA, 'firebase-export-metadata.json'));
firebase = spawn(
  join(ROOT, 'node_modules', '.bin', 'firebase'),
  [
    'emulators:start',
    '--config',
    stage.configPath,
    '--only',
    useJar ? 'functions,auth,hosting' : 'functions,firestore,auth,hosting',
    '--project',
    PROJECT,
    ...(keepAuth ? ['--import', FIREBASE_DATA] : []),
  ],
  { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
);
firebase.stdout.pipe(out, { end: false });
firebase.stderr.pipe(out, { end: false });
firebase.once('exit', (code) => {
  if (!stopping) void stop(1, `the emulators exited (${code}); see ${shown(LOG_FILE)}`);
});

const deadline = Date.now() + 240_000;
for (;;) {
  if (stopping) await new Promise(() => {});
  try {
    if ((await fetch(`${baseUrl}/health`)).ok) {
      hubUp = true;
      break;
    }
  } catch {
    /* not up yet */
  }
  if (Date.now() > deadline) await stop(1, `the Functions emulator did not come up within 4 minutes (see ${shown(LOG_FILE)})`);
  await new Promise((r) => setTimeout(r, 300));
}

let demo;
try {
  const saved = existsSync(DEMO_FILE) ? JSON.parse(readFileSync(DEMO_FILE, 'utf8')) : {};
  demo = await seedDemo(baseUrl, authHost, saved);
  writeFileSync(DEMO_FILE, JSON.stringify({ apiKey: demo.apiKey, licenseKey: demo.licenseKey }, null, 2), { mode: 0o600 });
} catch (e) {
  await stop(1, `seeding the demo data failed: ${e.message}`);
}

// Only the workers of recent requests stay: each holds 75–130 MB.
cleanups.push(reapIdleWorkers(stage.dir));
// Each buyer email, as it is queued.
cleanups.push(
  watchMail(firestoreHost, PROJECT, (m) => {
    if (m.kind === 'portal-link') console.log(`[seatkey] ✉ portal sign-in link for ${m.to} (open it in the browser that asked): ${m.link}`);
    else console.log(`[seatkey] ✉ email to ${m.to} — "${m.subject}" — licence key ${m.licenseKey}`);
  }),
);

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
console.log(
  [
    '',
    `Seatkey is running locally${demo.kept ? ' (with the data kept from the last run)' : ''}.`,
    `  Console       : ${consoleUrl}   (demo login ${demo.login.email} / ${demo.login.password})`,
    `  Buyer portal  : ${consoleUrl}/portal   (sign in as buyer@example.com; the sign-in link is printed here)`,
    `  Functions     : ${baseUrl}`,
    `  Dialects      : ${consoleUrl}   (other systems' paths: ${consoleUrl}/api/keys/activate, /v1/licenses/validate, /api/v1/activate, /license/activate …; docs/dialects.md)`,
    `  Firestore     : ${firestoreHost}`,
    `  Data kept in  : ${shown(DATA)}  (npm start -- --fresh starts empty)`,
    `  Secrets       : ${shown(secretFile)}`,
    `  Emulator logs : ${shown(LOG_FILE)}`,
    '',
    'Paste these into another terminal for the README walkthrough and curl examples:',
    '',
    `export BASE=${baseUrl}`,
    `export DIALECT_BASE=${consoleUrl}`,
    `export KEY=${demo.apiKey}`,
    `export WEBHOOK_SECRET=${q(secrets.WEBHOOK_SECRET)}`,
    `export ADMIN=${q(secrets.ADMIN_SECRET)}`,
    `export DEMO_LICENSE=${demo.licenseKey}`,
    '',
    `Try: npm run example -- ${demo.licenseKey}    # the example app activates this machine (product ${demo.productId})`,
    'Buyer emails (and portal sign-in links) are printed here as they are queued. Press Ctrl-C once to stop.',
    '',
  ].join('\n'),
);
