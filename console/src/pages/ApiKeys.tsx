// API keys (and, through the same component, payment-webhook secrets): create with a name, shown
// once with "Copy"; rotate (a new secret, the old one revoked at once); revoke. An API key may be
// a test key (sk_test_, sandbox licences only) and limited to scopes (none ticked: all).
import { useState } from 'preact/hooks';
import { api } from '../api';
import { dateText, dateTimeText } from '../format';
import { Async, Confirm, Empty, Field, FormDialog, PageHead, SecretOnce, useLoad, Table } from '../ui';
import { API_SCOPES } from '../../../functions/src/domain/scopeNames';

interface Credential {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
  /** API keys: null for every scope. */
  scopes?: string[] | null;
  mode?: 'live' | 'test';
}


/** What the key may do, as the list shows it. */
const scopeText = (c: Credential): string => (c.scopes ? c.scopes.join(', ') : 'All');

const KINDS = {
  apiKey: { noun: 'API key', list: 'listApiKeys', field: 'apiKeys', create: 'createApiKey', rotate: 'rotateApiKey', revoke: 'revokeApiKey', secret: 'apiKey' },
  webhookSecret: { noun: 'webhook secret', list: 'listWebhookSecrets', field: 'webhookSecrets', create: 'createWebhookSecret', rotate: 'rotateWebhookSecret', revoke: 'revokeWebhookSecret', secret: 'webhookSecret' },
} as const;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function Credentials({ kind }: { kind: keyof typeof KINDS }) {
  const k = KINDS[kind];
  const items = useLoad(async () => (await api<Record<string, Credential[]>>(k.list))[k.field] ?? [], [kind]);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; secret: string } | undefined>(undefined);
  const [confirm, setConfirm] = useState<{ item: Credential; action: 'rotate' | 'revoke' } | undefined>(undefined);
  return (
    <>
      <div class="row">
        <button type="button" onClick={() => setCreating(true)}>
          Create {k.noun}
        </button>
      </div>
      {shown && (
        <div class="card" role="region" aria-label={`New ${k.noun}`}>
          <p>
            <strong>{shown.name}</strong>
          </p>
          <SecretOnce secret={shown.secret} what={k.noun} />
          <button type="button" class="secondary small" onClick={() => setShown(undefined)}>
            Done
          </button>
        </div>
      )}
      <Async loaded={items} label={`Loading ${k.noun}s…`}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No {k.noun}s yet.</Empty>
          ) : (
            <Table caption={`${capital(k.noun)}s`} columns={["Name", "Starts with", "Created", "Last used", "Status", ""]}>
                  {list.map((c) => (
                    <tr>
                      <th scope="row">
                        {c.name}
                        {c.mode === 'test' && <span class="badge"> Test</span>}
                        {kind === 'apiKey' && <div class="muted small">Scopes: {scopeText(c)}</div>}
                      </th>
                      <td>
                        <code>{c.prefix}…</code>
                      </td>
                      <td>{dateText(c.createdAt)}</td>
                      <td>{c.lastUsedAt ? dateTimeText(c.lastUsedAt) : 'Never'}</td>
                      <td>
                        <span class={`badge ${c.revoked ? 'revoked' : 'active'}`}>{c.revoked ? 'Revoked' : 'Active'}</span>
                      </td>
                      <td class="row">
                        {!c.revoked && (
                          <>
                            <button type="button" class="secondary small" aria-label={`Rotate ${c.name}`} onClick={() => setConfirm({ item: c, action: 'rotate' })}>
                              Rotate
                            </button>
                            <button type="button" class="secondary small danger-text" aria-label={`Revoke ${c.name}`} onClick={() => setConfirm({ item: c, action: 'revoke' })}>
                              Revoke
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </Table>
          )
        }
      </Async>
      {creating && (
        <FormDialog
          title={`Create ${k.noun}`}
          submitLabel={`Create ${k.noun}`}
          onClose={() => setCreating(false)}
          onSubmit={async (form) => {
            const name = String(form.get('name'));
            const scopes = form.getAll('scopes').map(String);
            const extra = kind === 'apiKey' ? { mode: String(form.get('mode') ?? 'live'), ...(scopes.length > 0 ? { scopes } : {}) } : {};
            const r = await api<Record<string, string>>(k.create, { name, ...extra });
            setCreating(false);
            setShown({ name, secret: r[k.secret]! });
            items.reload();
          }}
        >
          <Field label="Name" hint="Where it is used, for example “Production server”.">
            <input name="name" required maxLength={100} />
          </Field>
          {kind === 'apiKey' && (
            <>
              <Field label="Mode" hint="A test key (sk_test_) makes and sees only sandbox licences, which email nobody and count in no stats.">
                <select name="mode">
                  <option value="live">Live</option>
                  <option value="test">Test</option>
                </select>
              </Field>
              <fieldset>
                <legend>Scopes</legend>
                <p class="muted small">Tick none for a key that may do everything.</p>
                {API_SCOPES.map((s) => (
                  <label class="row">
                    <input type="checkbox" name="scopes" value={s} /> {s}
                  </label>
                ))}
              </fieldset>
            </>
          )}
        </FormDialog>
      )}
      {confirm && (
        <Confirm
          title={`${confirm.action === 'rotate' ? 'Rotate' : 'Revoke'} ${confirm.item.name}`}
          confirmLabel={confirm.action === 'rotate' ? `Rotate ${k.noun}` : `Revoke ${k.noun}`}
          message={
            confirm.action === 'rotate'
              ? `A new ${k.noun} replaces this one, which stops working at once. Update everything that uses it.`
              : `This ${k.noun} stops working at once. Anything still using it gets 401.`
          }
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            const { item, action } = confirm;
            if (action === 'rotate') {
              const r = await api<Record<string, string>>(k.rotate, { id: item.id });
              setShown({ name: item.name, secret: r[k.secret]! });
            } else await api(k.revoke, { id: item.id });
            setConfirm(undefined);
            items.reload();
          }}
        />
      )}
    </>
  );
}

export function ApiKeys() {
  return (
    <section>
      <PageHead title="API keys" />
      <p class="muted">Your servers call Seatkey's admin API with these (header X-API-Key). People sign in instead.</p>
      <Credentials kind="apiKey" />
    </section>
  );
}
