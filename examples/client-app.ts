// A tiny app licensed with Seatkey, as a creator would write it: validates at start-up,
// activates on the first run, and while it runs sends heartbeats if the licence is floating.
//
//   npm start                                 # a local Seatkey, in another terminal
//   npm run seatkey -- keys --base-url http://127.0.0.1:5001/demo-seatkey/us-central1 --out examples/seatkey-keys.json
//   npm run example -- <licence key>          # the first run activates this machine
//   npm run example                           # later runs validate, offline first
//
// SEATKEY_BASE_URL and SEATKEY_PRODUCT_ID override the defaults below (npm start's demo product).
import { existsSync, readFileSync } from 'node:fs';
import { MachineLimitError, NotActivatedError, SeatkeyClient, SeatkeyError } from '@seatkey/client';

// The server's public keys, bundled with the app. A shipped app imports the file `seatkey keys`
// wrote (`import publicKeys from './seatkey-keys.json' with { type: 'json' }`); this example reads
// it only if present, because every local Seatkey has keys of its own.
const keysFile = new URL('./seatkey-keys.json', import.meta.url);
const publicKeys = existsSync(keysFile) ? (JSON.parse(readFileSync(keysFile, 'utf8')) as { keys: object[] }) : undefined;
if (!publicKeys) console.warn('No bundled keys (examples/seatkey-keys.json): this run fetches them, so it cannot start offline. `npm run seatkey -- keys … --out examples/seatkey-keys.json` writes them.');

const client = new SeatkeyClient({
  baseUrl: process.env.SEATKEY_BASE_URL ?? 'http://127.0.0.1:5001/demo-seatkey/us-central1',
  productId: process.env.SEATKEY_PRODUCT_ID ?? 'demo-app',
  ...(publicKeys ? { publicKeys } : {}),
});

let result = await client.validate();
if (!result.valid && result.error instanceof NotActivatedError) {
  const key = process.argv[2] ?? process.env.SEATKEY_LICENSE_KEY;
  if (!key) {
    console.error('This machine is not activated: run `npm run example -- <licence key>`.');
    process.exit(1);
  }
  try {
    const activation = await client.activate(key);
    console.log(activation.message);
  } catch (e) {
    if (e instanceof MachineLimitError) console.error(`${e.message} (\`seatkey deactivate\` on the other machine frees its seat)`);
    else if (e instanceof SeatkeyError) console.error(`Activation failed: ${e.message} (${e.code}${e.retryable ? ', try again later' : ''})`);
    else throw e;
    process.exit(1);
  }
  result = await client.validate();
}
if (!result.valid) {
  console.error(`Not licensed: ${result.error.message} (${result.error.code})`);
  process.exit(1);
}

const { license } = result;
console.log(`Licensed: ${license.productId}, ${license.licenseType}, ${license.expiresAt ? `until ${license.expiresAt.toISOString()}` : 'perpetual'}`);
if (result.source === 'grace') console.log(`Offline: Seatkey could not be reached; licensed until ${result.graceEndsAt.toISOString()}.`);

if (license.licenseType === 'floating') {
  client.startHeartbeats({
    onBeat: (beat) => console.log(`heartbeat: seat held until ${beat.leaseExpiresAt?.toISOString() ?? '?'}`),
    onError: (e, retryInMs) => console.warn(`heartbeat failed (${e.code}); retrying in ${Math.round(retryInMs / 1000)} s`),
    onStopped: (e) => {
      console.error(`The seat was refused (${e.code}): ${e.message}`);
      process.exit(1);
    },
  });
  console.log('Running with a floating seat; Ctrl-C to quit.');
  process.on('SIGINT', () => {
    client.stop();
    process.exit(0);
  });
} else {
  console.log('Done.');
}
