// Test fixtures: a fake Seatkey and a client wired to it with one movable clock, and timers
// the tests fire by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { MemoryStorage, SeatkeyClient, type SeatkeyClientOptions, type SeatkeyStorage } from '../src/index.ts';
import { FakeSeatkey, type FakeLicense } from './fakeSeatkey.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const PRODUCT = 'demo-app';
export const MACHINE = 'machine-one';

/** A time (ms) as a token's signed `iat` or `exp` carries it: whole seconds. */
export const signedTime = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** One clock for the client and the fake server; tests move it. */
export class Clock {
  constructor(public t = Date.now()) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

const fakes: FakeSeatkey[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the file's tests end. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seatkey-client-'));
  dirs.push(dir);
  return dir;
}

export async function startFake(clock?: Clock): Promise<FakeSeatkey> {
  const fake = await FakeSeatkey.start();
  if (clock) fake.now = clock.now;
  fakes.push(fake);
  return fake;
}

export interface Fixture {
  fake: FakeSeatkey;
  clock: Clock;
  license: FakeLicense;
  storage: SeatkeyStorage;
  client: SeatkeyClient;
  /** Another client on the same storage and clock (a second run of the app). */
  newClient(options?: Partial<SeatkeyClientOptions>): SeatkeyClient;
}

export async function fixture(
  options: { license?: Partial<FakeLicense>; client?: Partial<SeatkeyClientOptions>; storage?: SeatkeyStorage; fake?: FakeSeatkey } = {},
): Promise<Fixture> {
  const clock = new Clock();
  const fake = options.fake ?? (await startFake(clock));
  fake.now = clock.now;
  const license = fake.addLicense({ productId: PRODUCT, ...options.license });
  const storage = options.storage ?? new MemoryStorage();
  // Keys are bundled, as the README's integration does; tests of fetched keys pass publicKeys: undefined.
  const newClient = (more: Partial<SeatkeyClientOptions> = {}) =>
    new SeatkeyClient({ baseUrl: fake.baseUrl, productId: PRODUCT, fingerprint: MACHINE, storage, now: clock.now, publicKeys: fake.jwks, ...options.client, ...more });
  return { fake, clock, license, storage, client: newClient(), newClient };
}

/** A fixture whose client has activated. */
export async function activated(options: Parameters<typeof fixture>[0] = {}): Promise<Fixture> {
  const f = await fixture(options);
  await f.client.activate(f.license.key);
  return f;
}

/** The stored state's activation, as JSON. */
export async function storedActivation(storage: SeatkeyStorage): Promise<Record<string, unknown> | null> {
  const text = await storage.read();
  return text === null ? null : JSON.parse(text).activation;
}

/** Timers fired by hand: the heartbeat tests see each delay and decide when it has passed. */
export class ManualTimers {
  private nextId = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  readonly cleared: number[] = [];

  readonly setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.pending.set(id, { callback, ms });
    return id;
  };

  readonly clearTimeout = (handle: unknown): void => {
    if (this.pending.delete(handle as number)) this.cleared.push(handle as number);
  };

  /** The single pending timer's delay. */
  get delay(): number {
    if (this.pending.size !== 1) throw new Error(`expected one pending timer, found ${this.pending.size}`);
    return [...this.pending.values()][0]!.ms;
  }

  /** Fires the single pending timer. */
  fire(): void {
    const [id, timer] = [...this.pending.entries()][0] ?? [];
    if (id === undefined || !timer) throw new Error('no pending timer');
    this.pending.delete(id);
    timer.callback();
  }
}
