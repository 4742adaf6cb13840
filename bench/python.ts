// The Python client's benchmark: offline validate() throughput (a cached token, bundled keys, no
// network) with `cryptography` and with the pure-Python verifier, each against a raw Ed25519
// verify of the same signature by the same verifier, timed in interleaved batches by
// packages/client-python/bench/validate_throughput.py (Debian's python3, as npm test uses).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Results } from './lib.ts';

interface Rates {
  validate: number;
  verify: number;
}
interface Report {
  python: string;
  cryptography: string | null;
  rates: { 'pure-python': Rates; cryptography?: Rates };
}

const python = process.env.SEATKEY_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const script = fileURLToPath(new URL('../packages/client-python/bench/validate_throughput.py', import.meta.url));

export async function run(results: Results): Promise<void> {
  console.log('\npython (offline validate)');
  const report = JSON.parse(execFileSync(python, [script, '--rounds', '11'], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } })) as Report;
  console.log(`  python ${report.python}, cryptography ${report.cryptography ?? 'not importable'}`);
  const { cryptography, 'pure-python': pure } = report.rates;
  if (!cryptography) throw new Error(`${python} cannot import cryptography: install Debian's python3-cryptography (.ci/run does)`);
  results.add({
    name: 'Python offline validate() throughput, cryptography (one core)',
    value: Math.round(cryptography.validate),
    unit: 'verifications/s',
    reference: "cryptography's verify of the same Ed25519 signature",
    referenceValue: Math.round(cryptography.verify),
    target: '≥ 0.5',
  });
  results.add({
    name: 'Python offline validate() throughput, pure-Python verifier (one core)',
    value: Math.round(pure.validate),
    unit: 'verifications/s',
    reference: 'the pure-Python verify of the same signature',
    referenceValue: Math.round(pure.verify),
    target: '≥ 0.9',
  });
  results.add({
    name: 'Python pure-Python Ed25519 verify',
    value: Math.round(pure.verify),
    unit: 'verifications/s',
    reference: "cryptography's verify",
    referenceValue: Math.round(cryptography.verify),
  });
}
