// `npm run rotate-signing-key`: makes a fresh Ed25519 signing key (a new kid), sets it as the
// SIGNING_KEY secret and redeploys the functions that use it. --dry-run prints every command and
// the new key's kid, and runs none. What happens to issued tokens: docs/operations.md#signing-keys.
import { newSigningKey } from '../emulator-tests/harness/secrets.mjs';
import { begin, fail, firebase, liveBaseUrl } from './firebase-project.mjs';

const USAGE = `npm run rotate-signing-key -- [--project <id>] [--dry-run]

  --project <id>   the Firebase project (default: the one \`npx firebase use\` selected)
  --dry-run        print every command, run none`;

const { opts, dryRun, project } = begin(USAGE);
const key = newSigningKey();
console.log(`Rotating the signing key of ${project} to a new Ed25519 key, kid ${key.kid}${dryRun ? ' (dry run: nothing is run)' : ''}\n`);

const set = firebase(['functions:secrets:set', 'SIGNING_KEY', '--data-file', '-', '--non-interactive', '--project', project], {
  dryRun,
  input: JSON.stringify(key),
  shownInput: '<new SIGNING_KEY>',
});
if (set.status !== 0) fail('Setting SIGNING_KEY failed; nothing changed.');
if (firebase(['deploy', '--only', 'functions', '--project', project, '--non-interactive'], { dryRun }).status !== 0) {
  fail('The deploy failed: the new key is set but not in use yet. Run `npx firebase deploy --only functions` once the cause is fixed.');
}

console.log(`
${dryRun ? 'After these commands, i' : 'I'}nstances sign new session tokens with kid ${key.kid} as they start.
Tokens already issued stay valid: the old key stays in ${liveBaseUrl(project)}/publicKey and
\`validate\` accepts its tokens (answering each with a token of the new key) until the longest of
them ends (at most tokenTtlDays, default 30 days); then it leaves publicKey by itself.
Apps that bundle the public keys need the new one in their next release:
  npm run seatkey -- keys --base-url ${liveBaseUrl(project)} --out <your app>/seatkey-keys.json
A leaked key: after this rotation, revoke the old kid with revokeSigningKey (docs/operations.md#signing-keys).`);
