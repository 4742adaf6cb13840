// One licence: its key with "Copy", expiry, activations, status, the actions menu, activations
// with "Revoke", violations with "Resolve", and its event history.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { activationsText, dateText, dateTimeText, isoDay, statusLabel } from '../format';
import { navigate, onLinkClick } from '../router';
import { Async, Confirm, CopyButton, Empty, Field, FormDialog, Menu, PageHead, useLoad, Table } from '../ui';
import type { License } from './Licenses';

interface Activation {
  activationId: string;
  fingerprint: string;
  hostname: string;
  firstSeen: string;
  lastSeen: string;
  sessionActive: boolean;
  leaseExpiresAt: string | null;
}

interface Violation {
  id: string;
  type: string;
  severity: string;
  detectedAt: string;
  resolved: boolean;
  details: Record<string, unknown> | null;
}

interface EventEntry {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown> | null;
}

interface Details {
  license: License & { licenseType: string; threatLevel: number; revokeReason?: string | null; trial?: boolean; deactivated?: boolean };
  activations: Activation[];
  violations: Violation[];
}

type Action = 'regenerate' | 'limit' | 'expiry' | 'suspend' | 'reinstate' | 'revoke' | 'deactivate';

const MAX_LIMIT = 100;

export function LicenseDetails({ licenseKey }: { licenseKey: string }) {
  const details = useLoad(() => api<Details>('getLicense', { licenseKey }), [licenseKey]);
  const events = useLoad(async () => (await api<{ events: EventEntry[] }>('listEvents', { licenseKey, limit: 25 })).events, [licenseKey]);
  const [action, setAction] = useState<Action | undefined>(undefined);
  const [revoking, setRevoking] = useState<Activation | undefined>(undefined);
  const refresh = () => {
    details.reload();
    events.reload();
  };
  const done = () => {
    setAction(undefined);
    refresh();
  };
  return (
    <section>
      <p class="crumbs">
        <a href="/licenses" onClick={onLinkClick}>
          Licenses
        </a>{' '}
        / <span aria-current="page">License details</span>
      </p>
      <Async loaded={details} label="Loading licence…">
        {({ license, activations, violations }) => {
          // A permanently deactivated licence shows as such; nothing in the menu can change it.
          const gone = license.deactivated === true;
          const state = gone ? 'deactivated' : license.status;
          const ended = state === 'revoked' || gone;
          return (
            <>
              <PageHead title="License details">
                <Menu
                  label="Actions"
                  items={[
                    { label: 'Regenerate key', onSelect: () => setAction('regenerate'), disabled: gone },
                    { label: 'Edit activation limit', onSelect: () => setAction('limit'), disabled: gone },
                    { label: 'Manage expiry', onSelect: () => setAction('expiry'), disabled: gone },
                    { label: 'Suspend', onSelect: () => setAction('suspend'), disabled: state === 'suspended' || ended },
                    { label: 'Reinstate', onSelect: () => setAction('reinstate'), disabled: gone || (state !== 'suspended' && !ended) },
                    { label: 'Revoke license', onSelect: () => setAction('revoke'), disabled: ended },
                    { label: 'Deactivate license', onSelect: () => setAction('deactivate'), disabled: gone },
                  ]}
                />
              </PageHead>
              <div class="card summary">
                <div class="row key-row">
                  <code class="key" aria-label="Licence key">
                    {license.licenseKey}
                  </code>
                  <CopyButton text={license.licenseKey} />
                </div>
                <dl class="facts">
                  <div>
                    <dt>Status</dt>
                    <dd>
                      <span class={`badge ${state}`}>{statusLabel(state)}</span>
                      {license.revokeReason ? <span class="muted"> ({license.revokeReason})</span> : null}
                    </dd>
                  </div>
                  <div>
                    <dt>Activations</dt>
                    <dd>{activationsText(license.machinesUsed, license.maxMachines)}</dd>
                  </div>
                  <div>
                    <dt>Expiry</dt>
                    <dd>{license.expiresAt ? `Expires ${dateText(license.expiresAt)}` : 'Never expires'}</dd>
                  </div>
                  <div>
                    <dt>Email</dt>
                    <dd>{license.email}</dd>
                  </div>
                  <div>
                    <dt>Product</dt>
                    <dd>
                      {license.productId}
                      {license.variant ? ` · ${license.variant}` : ''}
                    </dd>
                  </div>
                  <div>
                    <dt>Order ID</dt>
                    <dd>{license.purchaseId ?? '—'}</dd>
                  </div>
                  <div>
                    <dt>Created</dt>
                    <dd>{dateText(license.createdAt)}</dd>
                  </div>
                  <div>
                    <dt>Threat level</dt>
                    <dd>{license.threatLevel}</dd>
                  </div>
                </dl>
              </div>

              <h2>Activations</h2>
              {activations.length === 0 ? (
                <Empty>No machine has activated this licence yet.</Empty>
              ) : (
                <Table caption="Activations" columns={["Instance", "Last seen", "Metadata", ""]}>
                      {activations.map((a) => (
                        <tr>
                          <th scope="row" id={`act-${a.activationId}`}>
                            {a.hostname || a.activationId}
                          </th>
                          <td>{dateTimeText(a.lastSeen)}</td>
                          <td class="muted small">
                            ID {a.activationId} · first seen {dateTimeText(a.firstSeen)}
                            {a.leaseExpiresAt ? ` · lease until ${dateTimeText(a.leaseExpiresAt)}` : ''}
                          </td>
                          <td>
                            <button type="button" class="secondary small" aria-describedby={`act-${a.activationId}`} onClick={() => setRevoking(a)}>
                              Revoke
                            </button>
                          </td>
                        </tr>
                      ))}
                    </Table>
              )}

              <h2>Violations</h2>
              {violations.length === 0 ? (
                <Empty>No violations.</Empty>
              ) : (
                <ul class="list">
                  {violations.map((v) => (
                    <li class="row">
                      <span>
                        <strong>{v.type}</strong> <span class="muted">({v.severity}, {dateTimeText(v.detectedAt)})</span>
                      </span>
                      {v.resolved ? (
                        <span class="badge active">Resolved</span>
                      ) : (
                        <button type="button" class="secondary small" aria-label={`Resolve ${v.type}`} onClick={() => void api('resolveLicense', { licenseKey, violationIds: [v.id] }).then(refresh)}>
                          Resolve
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}

              <h2>Event history</h2>
              <Async loaded={events} label="Loading events…">
                {(list) =>
                  list.length === 0 ? (
                    <Empty>No events yet.</Empty>
                  ) : (
                    <ol class="list events">
                      {list.map((e) => (
                        <li>
                          <time dateTime={e.createdAt}>{dateTimeText(e.createdAt)}</time> <code>{e.type}</code>
                        </li>
                      ))}
                    </ol>
                  )
                }
              </Async>

              {action === 'regenerate' && (
                <Confirm
                  title="Regenerate key"
                  confirmLabel="Regenerate key"
                  message="A new key replaces this one. The current key stops working at once and every machine activated with it is signed out. The buyer is emailed the new key."
                  onClose={() => setAction(undefined)}
                  onConfirm={async () => {
                    const r = await api<{ licenseKey: string }>('regenerateLicense', { licenseKey });
                    setAction(undefined);
                    navigate(`/licenses/${encodeURIComponent(r.licenseKey)}`, true);
                  }}
                />
              )}
              {action === 'suspend' && (
                <Confirm
                  title="Suspend licence"
                  confirmLabel="Suspend"
                  message="The licence stops validating on every machine until you reinstate it. Its activations are kept."
                  onClose={() => setAction(undefined)}
                  onConfirm={async () => {
                    await api('updateLicense', { licenseKey, status: 'suspended' });
                    done();
                  }}
                />
              )}
              {action === 'revoke' && (
                <Confirm
                  title="Revoke license"
                  confirmLabel="Revoke license"
                  message="The licence stops working on every machine and cannot be activated again unless you reinstate it."
                  onClose={() => setAction(undefined)}
                  onConfirm={async () => {
                    await api('revokeLicense', { licenseKey, reason: 'manual' });
                    done();
                  }}
                />
              )}
              {action === 'deactivate' && (
                <Confirm
                  title="Deactivate license"
                  confirmLabel="Deactivate license"
                  message="This is permanent and cannot be undone: the key stops working on every machine, can never be activated or validated again, and cannot be reinstated or regenerated. Use it for refunds or policy violations; to pause a licence, suspend or revoke it instead."
                  onClose={() => setAction(undefined)}
                  onConfirm={async () => {
                    await api('deactivateLicense', { licenseKey });
                    done();
                  }}
                />
              )}
              {action === 'reinstate' && (
                <FormDialog
                  title="Reinstate licence"
                  submitLabel="Reinstate"
                  onClose={() => setAction(undefined)}
                  onSubmit={async () => {
                    await api('reinstateLicense', { licenseKey });
                    done();
                  }}
                >
                  <p>The licence becomes active again and validates on its machines.</p>
                </FormDialog>
              )}
              {action === 'limit' && <EditLimit license={license} onClose={() => setAction(undefined)} onDone={done} />}
              {action === 'expiry' && <ManageExpiry license={license} onClose={() => setAction(undefined)} onDone={done} />}
              {revoking && (
                <Confirm
                  title="Revoke activation"
                  confirmLabel="Revoke activation"
                  message={`${revoking.hostname || revoking.activationId} is signed out and its slot is free for another machine.`}
                  onClose={() => setRevoking(undefined)}
                  onConfirm={async () => {
                    await api('removeActivation', { licenseKey, activationId: revoking.activationId });
                    setRevoking(undefined);
                    refresh();
                  }}
                />
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

function EditLimit({ license, onClose, onDone }: { license: License; onClose: () => void; onDone: () => void }) {
  const [unlimited, setUnlimited] = useState(license.maxMachines < 0);
  return (
    <FormDialog
      title="Edit activation limit"
      submitLabel="Save changes"
      onClose={onClose}
      onSubmit={async (form) => {
        await api('updateLicense', { licenseKey: license.licenseKey, maxMachines: unlimited ? -1 : Number(form.get('limit')) });
        onDone();
      }}
    >
      <label class="check">
        <input type="checkbox" checked={unlimited} onChange={(e) => setUnlimited(e.currentTarget.checked)} /> Unlimited
      </label>
      {!unlimited && (
        <Field label="Activation limit" hint={`1 to ${MAX_LIMIT} machines.`}>
          <input name="limit" type="number" min={1} max={MAX_LIMIT} required value={license.maxMachines > 0 ? Math.min(license.maxMachines, MAX_LIMIT) : 1} />
        </Field>
      )}
    </FormDialog>
  );
}

function ManageExpiry({ license, onClose, onDone }: { license: License; onClose: () => void; onDone: () => void }) {
  const [never, setNever] = useState(license.expiresAt === null);
  return (
    <FormDialog
      title="Manage expiry"
      submitLabel="Save changes"
      onClose={onClose}
      onSubmit={async (form) => {
        // The licence runs to the end of the chosen day (UTC).
        const expiresAt = never ? null : `${String(form.get('date'))}T23:59:59Z`;
        await api('updateLicense', { licenseKey: license.licenseKey, expiresAt });
        onDone();
      }}
    >
      <label class="check">
        <input type="checkbox" checked={never} onChange={(e) => setNever(e.currentTarget.checked)} /> Never expires
      </label>
      {!never && (
        <Field label="Expiry date" hint="The licence works until the end of this day (UTC).">
          <input name="date" type="date" required min={isoDay(new Date())} value={license.expiresAt ? license.expiresAt.slice(0, 10) : isoDay(new Date(Date.now() + 365 * 86_400_000))} />
        </Field>
      )}
    </FormDialog>
  );
}
