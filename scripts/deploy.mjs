// `npm run deploy`: a first (or any later) deploy of Seatkey to a Firebase project, wrapping
// firebase-tools. docs/deploy.md is the checklist around it (Blaze, the database, the APIs).
//   1. checks the selected project (--project, else `firebase use`'s) is one this login can reach;
//   2. creates each missing secret with a strong random value: ADMIN_SECRET, WEBHOOK_SECRET, and
//      SIGNING_KEY (a fresh Ed25519 JWK with a new kid); existing ones are left as they are;
//   3. deploys the functions, the Firestore rules and indexes, and Hosting (the console);
//   4. with --creator <id>: creates that creator and its first API key (shown once); without it,
//      says where to sign up in the console;
//   5. prints the live base URL and how to read the admin secret back.
// --dry-run prints every command instead of running it; nothing reaches Google.
import { newSecrets } from '../emulator-tests/harness/secrets.mjs';
import { begin, consoleUrl, fail, firebase, liveBaseUrl } from './firebase-project.mjs';

const USAGE = `npm run deploy -- [--project <id>] [--creator <id>] [--dry-run]

  --project <id>   the Firebase project (default: the one \`npx firebase use\` selected)
  --creator <id>   also create this creator and its first API key after the deploy
  --dry-run        print every command, run none`;

const { opts, dryRun, project } = begin(USAGE, { creator: { type: 'string' } });
if (opts.creator !== undefined && !/^[a-z0-9_-]{1,63}$/.test(opts.creator)) fail(`--creator "${opts.creator}": 1-63 of a-z 0-9 - _`);
console.log(`Deploying Seatkey to ${project}${dryRun ? ' (dry run: nothing is run)' : ''}\n`);

// 1. The project: listed for this login (also fails clearly when not logged in).
console.log('1. The project');
const listed = firebase(['projects:list', '--json'], { dryRun, capture: true });
if (!dryRun) {
  if (listed.status !== 0) fail('firebase-tools cannot list your projects: run `npx firebase login` first.');
  let ids = [];
  try {
    ids = (JSON.parse(listed.stdout).result ?? []).map((p) => p.projectId);
  } catch {
    fail('firebase-tools answered projects:list with something other than JSON.');
  }
  if (!ids.includes(project)) fail(`This login cannot see the project "${project}" (it sees: ${ids.join(', ') || 'none'}).`);
}

// 2. The secrets: only missing ones are created; a deployed secret is never replaced here.
console.log(`\n2. Secrets (missing ones are created with fresh random values${dryRun ? '; each set runs only if the get before it finds none' : ''})`);
const fresh = newSecrets();
const created = {};
for (const name of ['ADMIN_SECRET', 'WEBHOOK_SECRET', 'SIGNING_KEY']) {
  const exists = firebase(['functions:secrets:get', name, '--project', project], { dryRun, capture: true, dryStatus: 1 });
  if (exists.status === 0) {
    console.log(`   ${name} exists: kept`);
    continue;
  }
  const set = firebase(['functions:secrets:set', name, '--data-file', '-', '--non-interactive', '--project', project], {
    dryRun,
    input: fresh[name],
    shownInput: `<new ${name}>`,
  });
  if (set.status !== 0) fail(`Setting ${name} failed (is the Secret Manager API enabled? docs/deploy.md).`);
  created[name] = fresh[name];
  if (name === 'SIGNING_KEY') console.log(`   SIGNING_KEY: a new Ed25519 key, kid ${JSON.parse(fresh.SIGNING_KEY).kid}`);
}

// 3. Functions, rules, indexes and the console.
console.log('\n3. Deploy');
if (firebase(['deploy', '--only', 'functions,firestore:rules,firestore:indexes,hosting', '--project', project, '--non-interactive'], { dryRun }).status !== 0) {
  fail('The deploy failed: docs/deploy.md lists what a first deploy needs (Blaze plan, the Firestore database, the APIs).');
}

// 4. The first creator and its API key.
const base = liveBaseUrl(project);
console.log('\n4. The first creator');
if (opts.creator === undefined) {
  console.log(`   Sign up in the console at ${consoleUrl(project)} ("Create an account"), or run again with --creator <id> for an API key.`);
} else {
  let admin = created.ADMIN_SECRET;
  if (!admin) {
    const read = firebase(['functions:secrets:access', 'ADMIN_SECRET', '--project', project], { dryRun, capture: true });
    admin = read.stdout.trim();
  }
  const body = JSON.stringify({ creatorId: opts.creator, name: 'first key (npm run deploy)' });
  console.log(`${dryRun ? '[dry run] ' : '$ '}curl -s -X POST ${base}/createApiKey -H 'content-type: application/json' -H 'X-Admin-Secret: <ADMIN_SECRET>' -d '${body}'`);
  if (!dryRun) {
    const res = await fetch(`${base}/createApiKey`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-secret': admin }, body });
    const reply = await res.json().catch(() => ({}));
    if (!res.ok) fail(`createApiKey answered ${res.status}: ${reply.message ?? JSON.stringify(reply)}`);
    console.log(`   The API key of ${opts.creator} (shown once, keep it): ${reply.apiKey}`);
  }
}

// 5. Where it lives.
console.log(`
Seatkey ${dryRun ? 'would be' : 'is'} live:
  Functions base URL : ${base}        (e.g. ${base}/health)
  Console            : ${consoleUrl(project)}
  Admin secret       : npx firebase functions:secrets:access ADMIN_SECRET --project ${project}
  Logs               : npx firebase functions:log --project ${project}
Buyer emails need the Trigger Email extension on the \`mail\` collection (docs/deploy.md).`);
