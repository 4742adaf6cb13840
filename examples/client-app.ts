// A tiny app licensed with Seatkey, as a creator would write it: validates at start-up,
// activates on the first run, and while it runs sends heartbeats if the licence is floating.
// It says which licence it uses, for which product, and where it keeps its activation.
//
//   npm start                                 # a local Seatkey, in another terminal
//   npm run example -- <licence key>          # activates this machine (the product comes from the licence)
//   npm run example                           # later runs validate, offline first
//   npm run example -- <another key>          # switches to that licence (activates it)
//   npm run example -- --reset                # forgets this machine's activation
//   npm run example -- --product my-app       # the product to run as, when no key is given
//
// The server: --base-url, else SEATKEY_BASE_URL, else BASE (npm start's printed export), else
// npm start's default address. A shipped app fixes its product id and base URL in its code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  defaultStoragePath,
  FileStorage,
  MachineLimitError,
  maskLicenseKey,
  NotActivatedError,
  SeatkeyClient,
  SeatkeyError,
} from '@seatkey/client';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    product: { type: 'string' },
    'base-url': { type: 'string' },
    reset: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('npm run example -- [licence key] [--product <id>] [--base-url <url>] [--reset]');
  process.exit(0);
}
const baseUrl = values['base-url'] ?? process.env.SEATKEY_BASE_URL ?? process.env.BASE ?? 'http://127.0.0.1:5001/demo-seatkey/us-central1';
const givenKey = (positionals[0] ?? process.env.SEATKEY_LICENSE_KEY)?.trim();

// Which product this run is: --product, else the licence's own (asked of the server), else the
// one the last run used (remembered beside the activation caches).
const lastProductFile = defaultStoragePath('example-app.last-product');
async function productOfKey(key: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ licenseKey: key }) });
  } catch (e) {
    console.error(`Cannot reach Seatkey at ${baseUrl} (${e instanceof Error ? e.message : String(e)}). Is \`npm start\` running? (--base-url picks another server.)`);
    process.exit(1);
  }
  const body = (await res.json().catch(() => ({}))) as { productId?: string; error?: string; code?: string };
  if (!body.productId) {
    console.error(`The server at ${baseUrl} does not accept ${maskLicenseKey(key)}: ${body.error ?? res.status} (${body.code ?? 'error'})`);
    process.exit(1);
  }
  return body.productId;
}
const remembered = existsSync(lastProductFile) ? readFileSync(lastProductFile, 'utf8').trim() : undefined;
const productId = values.product ?? process.env.SEATKEY_PRODUCT_ID ?? (givenKey ? await productOfKey(givenKey) : remembered);
if (!productId) {
  console.error('No licence yet: run `npm run example -- <licence key>` (npm start prints one), or name the product with --product.');
  process.exit(1);
}
mkdirSync(dirname(lastProductFile), { recursive: true, mode: 0o700 });
writeFileSync(lastProductFile, productId, { mode: 0o600 });

const cachePath = defaultStoragePath(productId);
console.log(`Product ${productId} on ${baseUrl}; this machine's activation is cached in ${cachePath}`);

// The server's public keys, bundled with the app. A shipped app imports the file `seatkey keys`
// wrote (`import publicKeys from './seatkey-keys.json' with { type: 'json' }`); this example reads
// it only if present, because every local Seatkey has keys of its own.
const keysFile = new URL('./seatkey-keys.json', import.meta.url);
const publicKeys = existsSync(keysFile) ? (JSON.parse(readFileSync(keysFile, 'utf8')) as { keys: object[] }) : undefined;

const client = new SeatkeyClient({ baseUrl, productId, storage: new FileStorage(cachePath), ...(publicKeys ? { publicKeys } : {}) });

if (values.reset) {
  await new FileStorage(cachePath).clear();
  console.log(`--reset: forgot this machine's activation (${cachePath}); its seat stays taken on the server until \`npm run seatkey -- deactivate\` or the creator frees it.`);
  if (!givenKey) process.exit(0);
}

// A key given on the command line is the licence to use: activate it (online) unless it is the
// one already cached, which is then checked online rather than trusted from the cache.
const cached = await client.status();
const cachedKey = cached.activated ? cached.license.licenseKey : undefined;
if (cachedKey) console.log(`Cached licence: ${maskLicenseKey(cachedKey)}`);
let result;
let activatedNow = false;
if (givenKey && givenKey !== cachedKey) {
  console.log(cachedKey ? `Switching to ${maskLicenseKey(givenKey)}: activating it on this machine…` : `Activating ${maskLicenseKey(givenKey)} on this machine…`);
  try {
    const activation = await client.activate(givenKey);
    activatedNow = true;
    console.log(`${activation.message} (${activation.license.machinesUsed ?? '?'} of ${activation.license.maxMachines === -1 ? 'unlimited' : (activation.license.maxMachines ?? '?')} seats used)`);
  } catch (e) {
    if (e instanceof MachineLimitError) console.error(`${e.message} (\`npm run seatkey -- deactivate\` on the other machine frees its seat)`);
    else if (e instanceof SeatkeyError) console.error(`Activation failed: ${e.message} (${e.code}${e.retryable ? ', try again later' : ''})`);
    else throw e;
    process.exit(1);
  }
  result = await client.validate();
} else {
  result = await client.validate({ online: Boolean(givenKey) });
}
if (!result.valid && result.error instanceof NotActivatedError) {
  console.error('This machine is not activated: run `npm run example -- <licence key>`.');
  process.exit(1);
}
if (!result.valid) {
  console.error(`Not licensed: ${result.error.message} (${result.error.code}); \`--reset\` forgets the cached activation.`);
  process.exit(1);
}

const { license } = result;
const how = activatedNow ? 'activated with the server just now' : { online: 'checked with the server just now', cached: `from the cache, offline; next online check ${result.nextOnlineCheckAt.toISOString()}`, grace: 'server unreachable' }[result.source];
console.log(`Licensed: ${maskLicenseKey(license.licenseKey)} for ${license.productId}, ${license.licenseType}, ${license.expiresAt ? `until ${license.expiresAt.toISOString()}` : 'perpetual'} (${how})`);
if (!publicKeys) console.log('(No bundled keys in examples/seatkey-keys.json: this run fetched them, so it cannot start offline; `npm run seatkey -- keys --base-url $BASE --out examples/seatkey-keys.json` writes them.)');
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
