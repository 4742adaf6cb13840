// `npm start`: a local Seatkey with one command. Installs what is missing, builds the functions
// and the console, writes functions/.secret.local with fresh secrets on first run, starts the
// Firestore, Functions, Auth and Hosting emulators, seeds a demo login (owner of the demo
// creator), API key, product and licence, and prints the console's URL and how to call the API.
// Ctrl-C stops everything, java included.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureInstalled, ROOT } from './install.mjs';
import { PROJECT, freePorts, functionsBaseUrl, startFirestore, firestoreJar, javaMajor } from './emulators.mjs';
import { newSecrets, parseDotenv, toDotenv } from './secrets.mjs';
import { seedDemo } from './seed.mjs';
import { buildConsole, consoleConfig, CONSOLE_CONFIG_FILE, CONSOLE_DIST } from './console.mjs';

const log = (msg) => console.log(`[seatkey] ${msg}`);
ensureInstalled();

log('building functions…');
if (spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'functions'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
buildConsole();

const secretFile = join(ROOT, 'functions', '.secret.local');
if (!existsSync(secretFile)) {
  writeFileSync(secretFile, toDotenv(newSecrets()), { mode: 0o600 });
  log(`wrote fresh secrets to ${relative(ROOT, secretFile)}`);
}
const secrets = parseDotenv(readFileSync(secretFile, 'utf8'));
// A weak ADMIN_SECRET turns super-admin access off (functions/src/domain/adminSecret.ts): replace
// one left from an older run or typed by hand with a strong one, keeping the other secrets.
const { adminSecretWeakness } = await import('../../functions/lib/domain/adminSecret.js');
const weakness = secrets.ADMIN_SECRET ? adminSecretWeakness(secrets.ADMIN_SECRET) : undefined;
if (weakness) {
  secrets.ADMIN_SECRET = newSecrets().ADMIN_SECRET;
  writeFileSync(secretFile, toDotenv(secrets), { mode: 0o600 });
  log(`the ADMIN_SECRET in ${relative(ROOT, secretFile)} was weak (${weakness}): wrote a strong one`);
}
for (const name of ['ADMIN_SECRET', 'WEBHOOK_SECRET', 'SIGNING_KEY']) {
  if (!secrets[name]) {
    console.error(`[seatkey] ${relative(ROOT, secretFile)} has no ${name}; delete the file to get fresh secrets`);
    process.exit(1);
  }
}

const config = JSON.parse(readFileSync(join(ROOT, 'firebase.json'), 'utf8'));
const functionsPort = config.emulators.functions.port;
const baseUrl = functionsBaseUrl(functionsPort);
const authHost = `127.0.0.1:${config.emulators.auth.port}`;
const consoleUrl = `http://127.0.0.1:${config.emulators.hosting.port}`;
// Tells the console where the Auth emulator is (a production build never has this file).
writeFileSync(join(CONSOLE_DIST, CONSOLE_CONFIG_FILE), JSON.stringify(consoleConfig(PROJECT, config.emulators.auth.port)));

let firestore;
let firebase;
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping the emulators…');
  if (firebase && firebase.exitCode === null) firebase.kill('SIGINT');
  firestore?.stop();
  Promise.all([firebase ? new Promise((r) => (firebase.exitCode !== null ? r() : firebase.once('exit', r))) : null, firestore?.exited]).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const env = { FUNCTIONS_DISCOVERY_TIMEOUT: '180', ...process.env };
const useJar = Boolean(firestoreJar());
if (useJar) {
  const wanted = config.emulators.firestore.port;
  const probe = spawnSync(process.execPath, ['-e', `require('net').createServer().once('error',()=>process.exit(1)).listen(${wanted},'127.0.0.1',function(){this.close()})`]);
  const port = probe.status === 0 ? wanted : (await freePorts(1))[0];
  log(`starting the Firestore emulator on 127.0.0.1:${port}`);
  firestore = await startFirestore({ port, logFile: join(ROOT, 'firestore-debug.log') });
  env.FIRESTORE_EMULATOR_HOST = firestore.host;
} else if (javaMajor() < 21) {
  console.error('[seatkey] No Firestore emulator: install google-cloud-cli-firestore-emulator (Java 17+) or Java 21+ (README: Prerequisites).');
  process.exit(1);
}

log(`starting the Functions, Auth and Hosting emulators on 127.0.0.1:${functionsPort}, ${authHost} and ${consoleUrl}`);
firebase = spawn(
  join(ROOT, 'node_modules', '.bin', 'firebase'),
  ['emulators:start', '--only', useJar ? 'functions,auth,hosting' : 'functions,firestore,auth,hosting', '--project', PROJECT],
  { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] },
);
firebase.once('exit', (code) => {
  if (!stopping) {
    log(`the Functions emulator exited (${code})`);
    stop(code ?? 1);
  }
});

const deadline = Date.now() + 120_000;
for (;;) {
  if (stopping) await new Promise(() => {});
  try {
    if ((await fetch(`${baseUrl}/health`)).ok) break;
  } catch {
    /* not up yet */
  }
  if (Date.now() > deadline) {
    console.error('[seatkey] the Functions emulator did not come up within 2 minutes');
    stop(1);
  }
  await new Promise((r) => setTimeout(r, 300));
}

try {
  const demo = await seedDemo(baseUrl, authHost);
  const lines = [
    '',
    'Seatkey is running locally.',
    `  Console            : ${consoleUrl}`,
    `  Demo login         : ${demo.login.email} / ${demo.login.password}`,
    `  Functions base URL : ${baseUrl}`,
    `  Firestore emulator : ${env.FIRESTORE_EMULATOR_HOST ?? '(run by firebase-tools)'}`,
    `  Demo creator       : ${demo.creatorId}`,
    `  Demo API key       : ${demo.apiKey}`,
    `  Demo product       : ${demo.productId}`,
    `  Demo licence key   : ${demo.licenseKey}`,
    `  Admin secret       : ADMIN_SECRET in ${relative(ROOT, secretFile)}`,
    '',
    'Try:',
    `  curl -s ${baseUrl}/health`,
    `  curl -s -H 'X-API-Key: ${demo.apiKey}' ${baseUrl}/listProducts`,
    `  curl -s -X POST ${baseUrl}/verify -H 'content-type: application/json' -d '{"licenseKey":"${demo.licenseKey}"}'`,
    `  npm run seatkey -- keys --base-url ${baseUrl} --out examples/seatkey-keys.json   # keys the example app bundles`,
    `  npm run example -- ${demo.licenseKey}    # the example app activates this machine`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
} catch (e) {
  console.error(`[seatkey] seeding the demo data failed: ${e.message}`);
  stop(1);
}
