// Where webhooks/destination.ts lets a delivery go, checked at delivery itself: an address that
// is not public is refused before any connection, whatever was true when the URL was registered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { postJson } from '../src/webhooks/destination.ts';

describe('delivery destinations', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  const emulatorFlag = process.env.FUNCTIONS_EMULATOR;
  before(async () => {
    // Outside the emulator, where loopback is as forbidden as any private address.
    delete process.env.FUNCTIONS_EMULATOR;
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    if (emulatorFlag !== undefined) process.env.FUNCTIONS_EMULATOR = emulatorFlag;
    await new Promise((resolve) => server.close(resolve));
  });

  it('re-checks the address at delivery and never connects to one that is not public', async () => {
    // The listener is reachable: a refusal below is the check, not a dead port.
    const seen = new Promise((resolve) => server.once('connection', resolve));
    connect(port, '127.0.0.1').on('error', () => undefined);
    await seen;
    const reachable = connections;
    for (const url of [`https://localhost:${port}/hook`, `https://127.0.0.1:${port}/hook`, `https://[::ffff:127.0.0.1]:${port}/hook`, `https://0.0.0.0:${port}/hook`]) {
      const outcome = await postJson(url, '{}', {}, 2_000);
      assert.equal(outcome.status, null, url);
      assert.match(outcome.error ?? '', /must not point to a private, loopback or link-local address/, url);
    }
    assert.equal(connections, reachable, 'no connection was made');
  });
});
