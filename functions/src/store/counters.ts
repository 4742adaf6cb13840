// An atomic fetch-and-add on a Firestore document, in one write and no transaction.
//
// The Admin SDK's `FieldValue.increment` is applied on the server without locks, but its
// WriteResult drops the value the increment produced. Firestore's Commit RPC does return it
// (`transformResults`), so this module calls Commit through Google's generated v1 client.
// Because no transaction holds a lock, any number of simultaneous callers each get a distinct
// value with no contention aborts, which is what an exact rate limit needs.
import type { FirestoreClient } from '@google-cloud/firestore-api';
import { projectId } from './firestore.js';

interface Gapic {
  client: FirestoreClient;
  /** Per-call headers, as the Admin SDK sends them. */
  headers: Record<string, string>;
}

let gapicClient: Promise<Gapic> | undefined;

async function makeClient(database: string): Promise<Gapic> {
  const { v1 } = await import('@google-cloud/firestore-api');
  const headers: Record<string, string> = { 'google-cloud-resource-prefix': database };
  const emulator = process.env.FIRESTORE_EMULATOR_HOST;
  if (!emulator) return { client: new v1.FirestoreClient(), headers };
  // The emulator speaks plaintext gRPC and treats "Bearer owner" as the Admin SDK's identity,
  // which security rules do not apply to (the same settings the Admin SDK uses there).
  const { grpc } = await import('google-gax');
  const [host, port] = emulator.split(':');
  const client = new v1.FirestoreClient({
    servicePath: host,
    port: Number(port),
    sslCreds: grpc.credentials.createInsecure(),
  } as ConstructorParameters<typeof v1.FirestoreClient>[0]);
  return { client, headers: { ...headers, Authorization: 'Bearer owner' } };
}

interface Addition {
  path: string;
  field: string;
  delta: number;
  expireAt: Date | undefined;
  resolve(value: number): void;
  reject(error: unknown): void;
}

let pending: Addition[] = [];

/** Told the writes of each commit: the bench's per-request counts (opCount.ts), which these commits bypass. */
let committed: ((writes: number) => void) | undefined;
export const onCommittedWrites = (hook: (writes: number) => void): void => void (committed = hook);

/**
 * Adds `delta` to the integer field `field` of the document at `path` (creating it if needed),
 * sets `expireAt` on it when given, and returns the field's value after this addition.
 *
 * Additions asked for in the same tick (a request's client-IP limit and its endpoint's own
 * limit) share one Commit, one round trip; each still gets its own value, and a document is
 * never written twice in one Commit.
 */
export function fetchAndAdd(path: string, field: string, delta: number, expireAt?: Date): Promise<number> {
  return new Promise((resolve, reject) => {
    pending.push({ path, field, delta, expireAt, resolve, reject });
    if (pending.length === 1) queueMicrotask(flush);
  });
}

function flush(): void {
  const additions = pending;
  pending = [];
  const commits: Addition[][] = [];
  for (const a of additions) {
    const free = commits.find((c) => !c.some((b) => b.path === a.path));
    if (free) free.push(a);
    else commits.push([a]);
  }
  for (const c of commits) void commit(c);
}

async function commit(additions: Addition[]): Promise<void> {
  try {
    const database = `projects/${projectId()}/databases/(default)`;
    gapicClient ??= makeClient(database);
    const { client, headers } = await gapicClient;
    const [response] = await client.commit(
      {
        database,
        writes: additions.map((a) => {
          const fields: Record<string, { timestampValue: { seconds: number; nanos: number } }> = {};
          if (a.expireAt) fields.expireAt = { timestampValue: { seconds: Math.floor(a.expireAt.getTime() / 1000), nanos: 0 } };
          return {
            update: { name: `${database}/documents/${a.path}`, fields },
            updateMask: { fieldPaths: Object.keys(fields) },
            updateTransforms: [{ fieldPath: a.field, increment: { integerValue: a.delta } }],
          };
        }),
      },
      { otherArgs: { headers } },
    );
    committed?.(additions.length);
    additions.forEach((a, i) => {
      const value = response.writeResults?.[i]?.transformResults?.[0]?.integerValue;
      if (value === undefined || value === null) a.reject(new Error('Commit returned no transform result'));
      else a.resolve(Number(value));
    });
  } catch (e) {
    for (const a of additions) a.reject(e);
  }
}
