// Where the activation lives between runs. The client hands storage one opaque string (JSON of
// its state) and gets it back; anything can hold it: the default file, memory, an Electron
// safeStorage wrapper, a keychain.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import envPaths from 'env-paths';
import { Serial } from './serial.js';

export interface SeatkeyStorage {
  /** The last string written, or null when there is none. */
  read(): Promise<string | null>;
  write(data: string): Promise<void>;
  clear(): Promise<void>;
}

/** Keeps the state in memory only: tests, and apps that activate on every start. */
export class MemoryStorage implements SeatkeyStorage {
  constructor(private data: string | null = null) {}

  async read(): Promise<string | null> {
    return this.data;
  }

  async write(data: string): Promise<void> {
    this.data = data;
  }

  async clear(): Promise<void> {
    this.data = null;
  }
}

/**
 * A JSON file readable by its owner only (0600, in a 0700 directory), replaced atomically: the
 * new text goes to a temporary file in the same directory, is flushed, and is renamed over the
 * old one, so a crash mid-write leaves the old file or the new one, never half of either.
 */
export class FileStorage implements SeatkeyStorage {
  /** Writes in order, so a slow earlier write never lands after a later one. */
  private readonly writes = new Serial();

  constructor(readonly path: string) {}

  async read(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  write(data: string): Promise<void> {
    return this.writes.run(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const temp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
      const file = await open(temp, 'w', 0o600);
      try {
        await file.writeFile(data, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      try {
        await rename(temp, this.path);
      } catch (e) {
        await rm(temp, { force: true });
        throw e;
      }
    });
  }

  clear(): Promise<void> {
    return this.writes.run(() => rm(this.path, { force: true }));
  }
}

/**
 * The default file for `productId`: `<user config dir>/seatkey/<productId>.json`
 * (`~/.config/seatkey` on Linux, `~/Library/Preferences/seatkey` on macOS,
 * `%APPDATA%\seatkey\Config` on Windows).
 */
export function defaultStoragePath(productId: string): string {
  return join(envPaths('seatkey', { suffix: '' }).config, `${productId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}
