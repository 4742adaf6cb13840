#!/usr/bin/env node
// `seatkey`: the SDK from a shell, for support staff and scripts. Exit status 0 when the
// command succeeded (or the licence is valid), 1 when it was refused or failed, 2 on bad usage.
// Licence keys are printed masked, tokens never.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { SeatkeyClient } from './client.js';
import { SeatkeyError } from './errors.js';
import { fetchPublicKeys } from './keys.js';
import { maskLicenseKey, type LicenseInfo } from './results.js';
import { FileStorage } from './storage.js';

const USAGE = `Usage: seatkey <command> [options]

Commands:
  activate     activate this machine (needs --key)
  validate     is this machine licensed? (offline first; --online forces a server check)
  deactivate   free this machine's seat and forget the activation
  status       what this machine holds, without the network
  keys         fetch the server's public keys, to bundle in the app (--out <file>, else stdout)

Options:
  --base-url <url>      the functions' base URL (or SEATKEY_BASE_URL)
  --product <id>        the product id (or SEATKEY_PRODUCT_ID); not for keys
  --keys <file>         verify tokens with these bundled keys (a file \`seatkey keys\` wrote)
  --out <file>          keys: where to write them
  --key <licence key>   for activate, or deactivate without a cached activation (or SEATKEY_LICENSE_KEY)
  --storage <file>      where the activation is kept (default: the user's config directory)
  --fingerprint <text>  use this machine fingerprint instead of the OS machine id
  --hostname <name>     the machine name sent with activate
  --online              validate: ask the server even if no check is due
  --json                print JSON instead of text
  -h, --help            this text
`;

class UsageError extends Error {}

const COMMANDS = ['activate', 'validate', 'deactivate', 'status', 'keys'] as const;
type Command = (typeof COMMANDS)[number];

interface Output {
  ok: boolean;
  json: unknown;
  text: string[];
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'base-url': { type: 'string' },
      product: { type: 'string' },
      key: { type: 'string' },
      storage: { type: 'string' },
      fingerprint: { type: 'string' },
      hostname: { type: 'string' },
      keys: { type: 'string' },
      out: { type: 'string' },
      online: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = positionals[0] as Command;
  if (positionals.length !== 1 || !COMMANDS.includes(command)) throw new UsageError(positionals.length === 0 ? 'No command given' : `Unknown command: ${positionals.join(' ')}`);
  const baseUrl = values['base-url'] ?? process.env.SEATKEY_BASE_URL;
  const productId = values.product ?? process.env.SEATKEY_PRODUCT_ID;
  const licenseKey = values.key ?? process.env.SEATKEY_LICENSE_KEY;
  if (!baseUrl) throw new UsageError('--base-url (or SEATKEY_BASE_URL) is required');
  if (command === 'keys') return print(await keys(baseUrl, values.out), values.json === true);
  if (!productId) throw new UsageError('--product (or SEATKEY_PRODUCT_ID) is required');
  if (command === 'activate' && !licenseKey) throw new UsageError('activate needs --key (or SEATKEY_LICENSE_KEY)');

  const client = new SeatkeyClient({
    baseUrl,
    productId,
    ...(values.storage ? { storage: new FileStorage(values.storage) } : {}),
    ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
    ...(values.keys ? { publicKeys: await bundledKeys(values.keys) } : {}),
  });
  return print(await run(client, command, { licenseKey, hostname: values.hostname, online: values.online === true }), values.json === true);
}

function print(out: Output, json: boolean): number {
  process.stdout.write(json ? `${JSON.stringify(out.json, null, 2)}\n` : `${out.text.join('\n')}\n`);
  return out.ok ? 0 : 1;
}

/** The keys in a file `seatkey keys` wrote: a JWKS, or its list of keys. */
async function bundledKeys(file: string): Promise<{ keys: object[] } | object[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--keys ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(value) ? value : (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new UsageError(`--keys ${file}: not a JWKS (no "keys" list)`);
  return list;
}

/** `seatkey keys`: the JWKS to `out`, or as the output itself when there is no `out`. */
async function keys(baseUrl: string, out: string | undefined): Promise<Output> {
  let jwks: Awaited<ReturnType<typeof fetchPublicKeys>>;
  try {
    jwks = await fetchPublicKeys(baseUrl);
  } catch (e) {
    if (e instanceof SeatkeyError) return failed('success', e);
    throw e;
  }
  const text = `${JSON.stringify(jwks, null, 2)}\n`;
  if (out === undefined) return { ok: true, json: jwks, text: [text.trimEnd()] };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, text);
  const kids = jwks.keys.map((k) => k.kid);
  return {
    ok: true,
    json: { success: true, out, kids },
    text: [`Wrote ${kids.length} public key${kids.length === 1 ? '' : 's'} (${kids.join(', ')}) to ${out}.`, 'Bundle it with the app: new SeatkeyClient({ baseUrl, productId, publicKeys })'],
  };
}

async function run(client: SeatkeyClient, command: Exclude<Command, 'keys'>, o: { licenseKey: string | undefined; hostname: string | undefined; online: boolean }): Promise<Output> {
  try {
    switch (command) {
      case 'activate': {
        const r = await client.activate(o.licenseKey!, o.hostname === undefined ? {} : { hostname: o.hostname });
        const license = masked(r.license);
        return { ok: true, json: { success: true, ...r, license }, text: [r.message, ...describe(license), ...(r.warning ? [`Warning: ${r.warning}`] : [])] };
      }
      case 'validate': {
        const r = await client.validate({ online: o.online });
        if (!r.valid) return failed('valid', r.error);
        const license = masked(r.license);
        const how = { online: 'checked online just now', cached: 'cached token verified offline', grace: `offline grace: ${r.offlineError?.message ?? ''}` }[r.source];
        return {
          ok: true,
          json: { ...r, license },
          text: [
            `Licensed (${how})`,
            ...describe(license),
            ...checks(r),
            ...(r.warning ? [`Warning: ${r.warning}`] : []),
          ],
        };
      }
      case 'deactivate': {
        const r = await client.deactivate(o.licenseKey === undefined ? {} : { licenseKey: o.licenseKey });
        return { ok: true, json: { success: true, ...r }, text: [`Deactivated. Machines in use: ${r.machinesUsed ?? '?'} of ${limit(r.maxMachines)}`] };
      }
      case 'status': {
        const s = await client.status();
        if (!s.activated) return { ok: false, json: s, text: ['This machine is not activated.'] };
        const license = masked(s.license);
        return {
          ok: true,
          json: { ...s, license },
          text: [
            'Activated (from the cache; `seatkey validate` checks it)',
            ...describe(license),
            ...checks(s),
          ],
        };
      }
    }
  } catch (e) {
    if (e instanceof SeatkeyError) return failed('success', e);
    throw e;
  }
}

function failed(flag: 'valid' | 'success', error: SeatkeyError): Output {
  return { ok: false, json: { [flag]: false, error }, text: [`${flag === 'valid' ? 'Not licensed' : 'Failed'}: ${error.message} (${error.code})`] };
}

const masked = (l: LicenseInfo): LicenseInfo => ({ ...l, licenseKey: maskLicenseKey(l.licenseKey) });
const limit = (n: number | null): string => (n === null ? '?' : n === -1 ? 'unlimited' : String(n));

const checks = (t: { lastOnlineAt: Date; nextOnlineCheckAt: Date; graceEndsAt: Date }): string[] => [
  `  Last online check  ${t.lastOnlineAt.toISOString()}`,
  `  Next online check  ${t.nextOnlineCheckAt.toISOString()}`,
  `  Valid offline to   ${t.graceEndsAt.toISOString()}`,
];

function describe(l: LicenseInfo): string[] {
  return [
    `  Licence            ${l.licenseKey}`,
    `  Product            ${l.productId}${l.variant ? ` (${l.variant})` : ''}`,
    `  Type               ${l.licenseType}`,
    `  Status             ${l.status}`,
    `  Expires            ${l.expiresAt ? l.expiresAt.toISOString() : 'never'}`,
    `  Machines           ${l.machinesUsed ?? '?'} of ${limit(l.maxMachines)}`,
    `  Token expires      ${l.tokenExpiresAt.toISOString()}`,
    ...(l.leaseExpiresAt ? [`  Lease expires      ${l.leaseExpiresAt.toISOString()}`] : []),
  ];
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`seatkey: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`seatkey: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
