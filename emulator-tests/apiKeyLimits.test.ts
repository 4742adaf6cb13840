// The admin limit the pipeline applies by itself: 600 calls a minute per API key; another key
// and the super admin are not counted. The calls take as long as they take (over 100 s on a
// loaded machine), so the test sends the emulator's rate-limit clock to hold them all in one
// window of its own rather than racing the wall clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_SECRET, asAdmin, assertRateLimited, byWindow, call, inWaves, privateWindow } from './helpers.ts';

describe('admin rate limit', () => {
  it('admits exactly 600 admin calls a minute per API key; other keys and the super admin are not counted', async () => {
    const creatorId = `limits-${Math.random().toString(36).slice(2, 8)}`;
    const first = await asAdmin('createApiKey', { creatorId, name: 'busy' });
    const second = await asAdmin('createApiKey', { creatorId, name: 'quiet' });
    const window = privateWindow(60);
    const replies = await inWaves(620, 5, () => call('listProducts', {}, { headers: { 'x-api-key': first.body.apiKey }, clock: window.clock }));
    const limited = replies.filter((r) => r.status === 429);
    assert.equal(replies.length - limited.length, 600, `admitted ${replies.length - limited.length}`);
    assert.ok(replies.every((r) => r.status === 200 || r.status === 429));
    for (const r of limited) assertRateLimited(r, 600, window);
    assert.deepEqual([...byWindow(replies).keys()], [String(window.resetAt / 1000)]);
    const other = { clock: window.clock };
    assert.equal((await call('listProducts', {}, { headers: { 'x-api-key': second.body.apiKey }, ...other })).status, 200);
    assert.equal((await call('listProducts', {}, { headers: { 'x-admin-secret': ADMIN_SECRET }, ...other })).status, 200);
    // The next window admits the key again.
    assert.equal((await call('listProducts', {}, { headers: { 'x-api-key': first.body.apiKey }, clock: window.resetAt })).status, 200);
  });

});
