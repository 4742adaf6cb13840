// Webhooks: the endpoints that receive the creator's events (events, status, failure count,
// delivery log, "Resume"), and the payment-webhook secrets payment providers sign with.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { dateTimeText, statusLabel } from '../format';
import { Async, Confirm, Empty, ErrorNote, Field, FormDialog, PageHead, SecretOnce, useLoad, Dialog, Table, useAction } from '../ui';
import { Credentials } from './ApiKeys';

interface Webhook {
  id: string;
  url: string;
  description: string;
  events: string[];
  status: 'active' | 'paused';
  pausedReason: string | null;
  consecutiveFailures: number;
  lastDeliveryAt: string | null;
  lastStatus: number | null;
}

interface Delivery {
  eventId: string;
  event: string;
  attempt: number;
  status: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
  at: string;
}

const EVENTS = ['license.created', 'license.updated', 'license.revoked', 'license.reinstated', 'license.expired', 'license.regenerated', 'activation.created', 'activation.removed', 'violation.flagged', 'payment.unmatched'];

function DeliveryLog({ hook, onClose }: { hook: Webhook; onClose: () => void }) {
  const log = useLoad(async () => (await api<{ deliveries: Delivery[] }>('listWebhookDeliveries', { webhookId: hook.id })).deliveries, [hook.id]);
  return (
    <Dialog title={`Delivery log: ${hook.url}`} onClose={onClose} wide>
      <Async loaded={log} label="Loading deliveries…">
        {(list) =>
          list.length === 0 ? (
            <Empty>Nothing delivered yet.</Empty>
          ) : (
            <Table caption="Deliveries" columns={["When", "Event", "Attempt", "Result"]}>
                  {list.map((d) => (
                    <tr>
                      <td>{dateTimeText(d.at)}</td>
                      <td>
                        <code>{d.event}</code>
                      </td>
                      <td>{d.attempt}</td>
                      <td>{d.ok ? `OK (${d.status})` : `Failed: ${d.status ?? d.error ?? 'no answer'}`}</td>
                    </tr>
                  ))}
                </Table>
          )
        }
      </Async>
    </Dialog>
  );
}

function AddWebhook({ onClose, onCreated }: { onClose: () => void; onCreated: (secret: string) => void }) {
  return (
    <FormDialog
      title="Add endpoint"
      submitLabel="Add endpoint"
      wide
      onClose={onClose}
      onSubmit={async (form) => {
        const events = form.getAll('events').map(String);
        const r = await api<{ secret: string }>('createWebhook', { url: String(form.get('url')), ...(events.length ? { events } : {}), description: String(form.get('description') ?? '').trim() || undefined });
        onCreated(r.secret);
      }}
    >
      <Field label="Endpoint URL" hint="https, on a public address.">
        <input name="url" type="url" required maxLength={2048} placeholder="https://example.com/seatkey" />
      </Field>
      <Field label="Description">
        <input name="description" maxLength={200} />
      </Field>
      <fieldset>
        <legend>Events (none ticked: all events)</legend>
        <div class="checks">
          {EVENTS.map((e) => (
            <label class="check">
              <input type="checkbox" name="events" value={e} /> <code>{e}</code>
            </label>
          ))}
        </div>
      </fieldset>
    </FormDialog>
  );
}

export function Webhooks() {
  const hooks = useLoad(async () => (await api<{ webhooks: Webhook[] }>('listWebhooks')).webhooks, []);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const [log, setLog] = useState<Webhook | undefined>(undefined);
  const [deleting, setDeleting] = useState<Webhook | undefined>(undefined);
  const action = useAction();
  const resume = (h: Webhook) => action.run(async () => (await api('updateWebhook', { webhookId: h.id, status: 'active' }), hooks.reload()));
  return (
    <section>
      <PageHead title="Webhooks">
        <button type="button" onClick={() => setAdding(true)}>
          Add endpoint
        </button>
      </PageHead>
      {action.error !== undefined && <ErrorNote error={action.error} />}
      {secret && (
        <div class="card">
          <SecretOnce secret={secret} what="signing secret" />
          <button type="button" class="secondary small" onClick={() => setSecret(undefined)}>
            Done
          </button>
        </div>
      )}
      <Async loaded={hooks} label="Loading webhooks…">
        {(list) =>
          list.length === 0 ? (
            <Empty>No webhook endpoints. Add one to hear about new licences, activations and revocations.</Empty>
          ) : (
            <Table caption="Webhook endpoints" columns={["Endpoint", "Events", "Status", "Failures", "Last delivery", ""]}>
                  {list.map((h) => (
                    <tr>
                      <th scope="row" class="wrap">
                        {h.url}
                        {h.description && <div class="muted small">{h.description}</div>}
                      </th>
                      <td class="small">{h.events.length === 0 ? 'All events' : h.events.join(', ')}</td>
                      <td>
                        <span class={`badge ${h.status === 'active' ? 'active' : 'suspended'}`}>{statusLabel(h.status)}</span>
                        {h.pausedReason && <div class="muted small">{h.pausedReason}</div>}
                      </td>
                      <td>{h.consecutiveFailures}</td>
                      <td>{h.lastDeliveryAt ? `${dateTimeText(h.lastDeliveryAt)} (${h.lastStatus ?? 'no answer'})` : '—'}</td>
                      <td class="row">
                        {h.status !== 'active' && (
                          <button type="button" class="small" aria-label={`Resume ${h.url}`} onClick={() => void resume(h)}>
                            Resume
                          </button>
                        )}
                        <button type="button" class="secondary small" aria-label={`Delivery log for ${h.url}`} onClick={() => setLog(h)}>
                          Delivery log
                        </button>
                        <button type="button" class="secondary small danger-text" aria-label={`Delete ${h.url}`} onClick={() => setDeleting(h)}>
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </Table>
          )
        }
      </Async>

      <h2>Payment webhook secrets</h2>
      <p class="muted">Your payment provider signs its webhooks to Seatkey with one of these (header x-webhook-secret).</p>
      <Credentials kind="webhookSecret" />

      {adding && (
        <AddWebhook
          onClose={() => setAdding(false)}
          onCreated={(s) => {
            setAdding(false);
            setSecret(s);
            hooks.reload();
          }}
        />
      )}
      {log && <DeliveryLog hook={log} onClose={() => setLog(undefined)} />}
      {deleting && (
        <Confirm
          title="Delete endpoint"
          confirmLabel="Delete endpoint"
          message={`Seatkey stops sending events to ${deleting.url}. Its delivery log is deleted too.`}
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api('deleteWebhook', { webhookId: deleting.id });
            setDeleting(undefined);
            hooks.reload();
          }}
        />
      )}
    </section>
  );
}
