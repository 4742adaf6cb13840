// `npm start` itself, twice, with a temporary data folder and secrets file and free ports: the
// summary comes last with the exports to paste and the emulator noise in a log file; a purchase's
// buyer email (and a buyer portal sign-in link) is printed as it is queued; one SIGINT stops everything with "Stopped." and leaves
// no process (java and the function workers included); the next start keeps the data and the
// demo API key.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'seatkey-start-'));
const DATA = join(TMP, 'data');
after(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(): Run {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? TMP,
    SEATKEY_DATA_DIR: DATA,
    SEATKEY_SECRET_FILE: join(TMP, 'secret.local'),
    SEATKEY_START_PORTS: 'free',
    SEATKEY_START_NO_BUILD: '1', // npm test built the functions and the console already
  };
  for (const name of ['JAVA_HOME', 'FIRESTORE_EMULATOR_JAR', 'LANG']) if (process.env[name]) env[name] = process.env[name]!;
  const child = spawn(process.execPath, [join(ROOT, 'emulator-tests', 'harness', 'start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => text, exited };
}

async function until(run: Run, what: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = run.output().match(what);
    if (m) return m;
    if (run.child.exitCode !== null) assert.fail(`npm start exited (${run.child.exitCode}) before printing ${what}:\n${run.output()}`);
    if (Date.now() > deadline) assert.fail(`npm start did not print ${what} in ${ms / 1000} s:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const exported = (out: string, name: string) => out.match(new RegExp(`^export ${name}='?([^'\\n]+)'?$`, 'm'))?.[1];

async function post(base: string, name: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

/** Processes this run left: any whose command line names the data folder or whose directory is its staged sources. */
function leftovers(pid: number): string[] {
  const stage = join(ROOT, '.emulators', `start-${pid}`);
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // not ours to read
      }
      if (cmd.includes(DATA) || cmd.includes(stage) || cwd.startsWith(stage)) found.push(`${entry}: ${cmd.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const refused = (host: string) =>
  new Promise<boolean>((resolve) => {
    const [h, p] = host.split(':');
    const s = createConnection({ host: h, port: Number(p) });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

async function stopOnce(run: Run): Promise<string> {
  run.child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([run.exited, new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 120_000)))]);
  clearTimeout(timer);
  assert.notEqual(code, 'hung', `one SIGINT did not stop npm start:\n${run.output()}`);
  assert.equal(code, 0, run.output());
  const out = run.output();
  assert.match(out, /\[seatkey\] Stopped\.\n$/, 'the last line says Stopped.');
  assert.doesNotMatch(out, /SIGINT 2 times|Received SIGINT/);
  const left = leftovers(run.child.pid!);
  assert.deepEqual(left, [], 'no process of the run is left');
  return out;
}

let licenseKey = '';
let apiKey = '';

test('npm start: quiet summary last, a queued email printed, one SIGINT stops everything', async () => {
  const run = start();
  await until(run, /Press Ctrl-C once to stop\.\n/, 420_000);
  const out = run.output();
  const summary = out.slice(out.indexOf('Seatkey is running locally'));
  assert.ok(summary.length > 0 && out.indexOf('Seatkey is running locally') > out.lastIndexOf('[seatkey] starting'), 'the summary comes after the start-up lines');
  assert.doesNotMatch(out, /function initialized|Loaded environment variables|emulators: Starting/, 'emulator noise stays in the log file');
  const logFile = out.match(/Emulator logs : (\S+)/)?.[1];
  assert.equal(logFile, join(DATA, 'emulators.log'));
  assert.match(readFileSync(logFile!, 'utf8'), /emulators: Starting emulators/);
  const base = exported(out, 'BASE')!;
  apiKey = exported(out, 'KEY')!;
  const webhookSecret = exported(out, 'WEBHOOK_SECRET')!;
  assert.match(apiKey, /^sk_live_/);
  assert.match(webhookSecret, /^whsec_/);
  assert.ok(exported(out, 'ADMIN'));
  assert.ok(exported(out, 'DEMO_LICENSE'));
  const firestore = out.match(/Firestore {5}: (\S+)/)![1]!;

  const sale = await post(base, 'paymentWebhook', { type: 'purchase.completed', productId: 'demo-app', purchaseId: 'order-start-1', email: 'start@example.com' }, { 'x-webhook-secret': webhookSecret });
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  licenseKey = sale.body.licenseKey;
  await until(run, new RegExp(`✉ email to start@example\\.com — "Your licence key for Demo App" — licence key ${licenseKey}`), 60_000);

  // The demo product has the buyer portal on: a buyer's sign-in link is printed where to find it.
  const portal = out.match(/Buyer portal  : (\S+)/)?.[1];
  assert.match(portal ?? '', /^http:\/\/127\.0\.0\.1:\d+\/portal$/);
  const link = await post(base, 'portalRequestLink', { email: 'start@example.com' }, { origin: new URL(portal!).origin });
  assert.equal(link.status, 200, JSON.stringify(link.body));
  await until(run, /✉ portal sign-in link for start@example\.com \(open it in the browser that asked\): http:\/\/\S+mode=signIn\S+continueUrl=\S+/, 60_000);

  await stopOnce(run);
  assert.ok(await refused(firestore), 'the Firestore emulator is gone');
  assert.ok(existsSync(join(DATA, 'firestore')) && existsSync(join(DATA, 'firebase', 'firebase-export-metadata.json')), 'the data was saved');
});

test('npm start again: the data and the demo API key are kept', async () => {
  assert.ok(licenseKey, 'the first start ran');
  const run = start();
  await until(run, /Press Ctrl-C once to stop\.\n/, 420_000);
  const out = run.output();
  assert.match(out, /with the data kept from the last run/);
  assert.equal(exported(out, 'KEY'), apiKey, 'the same demo API key');
  const base = exported(out, 'BASE')!;
  const kept = await post(base, 'getLicense', { licenseKey }, { 'x-api-key': apiKey });
  assert.equal(kept.status, 200, JSON.stringify(kept.body));
  assert.equal(kept.body.license.email, 'start@example.com');
  await stopOnce(run);
});
