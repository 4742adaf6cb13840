// Settings: the account (name, id, licence-key prefix), its members and invitations (the owner
// manages them), and each product's buyer email with a preview composed by the server.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { dateText } from '../format';
import { signOutUser } from '../firebase';
import type { Session } from '../main';
import { navigate } from '../router';
import { Async, Confirm, Empty, ErrorNote, Field, FormDialog, PageHead, useLoad, Table } from '../ui';
import { listAllProducts, type Product } from './Products';

interface Member {
  uid: string;
  email: string;
  role: 'owner' | 'member';
  joinedAt: string;
}

interface Invite {
  email: string;
  createdAt: string;
}

function Members({ session }: { session: Session }) {
  const owner = session.account.role === 'owner';
  const people = useLoad(() => api<{ members: Member[]; invites: Invite[] }>('listMembers'), []);
  const [email, setEmail] = useState('');
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; sent?: string }>({});
  const [removing, setRemoving] = useState<{ member?: Member; invite?: Invite } | undefined>(undefined);
  const invite = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    try {
      await api('inviteMember', { email });
      setState({ sent: email });
      setEmail('');
      people.reload();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <section class="card" aria-labelledby="members-h">
      <h2 id="members-h">Members</h2>
      <p class="muted">
        Teammates can do everything except manage members. An invitation is accepted when that person signs in (or signs up) with the invited email, once it is verified.
      </p>
      <Async loaded={people} label="Loading members…">
        {({ members, invites }) => (
          <Table caption="Members and invitations" columns={["Email", "Role", "Since", ""]}>
                {members.map((m) => (
                  <tr>
                    <th scope="row">
                      {m.email}
                      {m.uid === session.user.uid ? ' (you)' : ''}
                    </th>
                    <td>{m.role === 'owner' ? 'Owner' : 'Member'}</td>
                    <td>{dateText(m.joinedAt)}</td>
                    <td>
                      {owner && m.role !== 'owner' && (
                        <button type="button" class="secondary small danger-text" aria-label={`Remove ${m.email}`} onClick={() => setRemoving({ member: m })}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
                {invites.map((i) => (
                  <tr>
                    <th scope="row">{i.email}</th>
                    <td>Invited</td>
                    <td>{dateText(i.createdAt)}</td>
                    <td>
                      {owner && (
                        <button type="button" class="secondary small" aria-label={`Cancel invitation for ${i.email}`} onClick={() => setRemoving({ invite: i })}>
                          Cancel invitation
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
        )}
      </Async>
      {owner ? (
        <form class="row wrap-row" onSubmit={invite}>
          <Field label="Teammate's email">
            <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={state.busy} aria-busy={state.busy}>
            {state.busy ? 'Inviting…' : 'Invite member'}
          </button>
          <span role="status" class="muted">
            {state.sent ? `Invited ${state.sent}` : ''}
          </span>
        </form>
      ) : (
        <p class="muted">Only the owner can invite or remove members.</p>
      )}
      {state.error !== undefined && <ErrorNote error={state.error} />}
      {removing && (
        <Confirm
          title={removing.member ? 'Remove member' : 'Cancel invitation'}
          confirmLabel={removing.member ? 'Remove member' : 'Cancel invitation'}
          message={removing.member ? `${removing.member.email} loses access to this account at once.` : `${removing.invite!.email} can no longer join with this invitation.`}
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            await api('removeMember', removing.member ? { uid: removing.member.uid } : { email: removing.invite!.email });
            setRemoving(undefined);
            people.reload();
          }}
        />
      )}
    </section>
  );
}

interface Preview {
  subject: string;
  text: string;
  html: string;
}

function BuyerEmail() {
  const products = useLoad(listAllProducts, []);
  const [productId, setProductId] = useState('');
  const product = products.data?.find((p) => p.productId === productId) ?? products.data?.[0];
  return (
    <section class="card" aria-labelledby="email-h">
      <h2 id="email-h">Buyer email</h2>
      <p class="muted">What a buyer receives with a new licence. Leave a field empty for Seatkey's default text; {'{product}'} in the subject becomes the product's name.</p>
      <Async loaded={products} label="Loading products…">
        {(list) =>
          list.length === 0 ? (
            <Empty>Create a product first: each product has its own buyer email.</Empty>
          ) : (
            <>
              <Field label="Product">
                <select value={product?.productId} onChange={(e) => setProductId(e.currentTarget.value)}>
                  {list.map((p) => (
                    <option value={p.productId}>{p.name}</option>
                  ))}
                </select>
              </Field>
              {product && <TemplateEditor key={product.productId} product={product as Product & { emailSubject: string | null; emailInstructions: string | null }} onSaved={products.reload} />}
            </>
          )
        }
      </Async>
    </section>
  );
}

function TemplateEditor({ product, onSaved }: { product: Product & { emailSubject: string | null; emailInstructions: string | null }; onSaved: () => void }) {
  const [subject, setSubject] = useState(product.emailSubject ?? '');
  const [instructions, setInstructions] = useState(product.emailInstructions ?? '');
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; saved?: boolean }>({});
  const fields = () => ({ emailSubject: subject.trim() || null, emailInstructions: instructions.trim() || null });
  const showPreview = async () => {
    setState({ busy: true });
    try {
      setPreview((await api<{ email: Preview }>('previewBuyerEmail', { productId: product.productId, ...fields() })).email);
      setState({});
    } catch (error) {
      setState({ error });
    }
  };
  useEffect(() => void showPreview(), []);
  return (
    <form
      class="stack"
      onSubmit={async (e) => {
        e.preventDefault();
        setState({ busy: true });
        try {
          await api('updateProduct', { productId: product.productId, ...fields() });
          setState({ saved: true });
          onSaved();
        } catch (error) {
          setState({ error });
        }
      }}
    >
      <Field label="Subject">
        <input value={subject} maxLength={200} placeholder="Your licence key for {product}" onInput={(e) => setSubject(e.currentTarget.value)} />
      </Field>
      <Field label="Activation instructions">
        <textarea rows={4} maxLength={2000} value={instructions} placeholder="Seatkey's default instructions" onInput={(e) => setInstructions(e.currentTarget.value)} />
      </Field>
      {state.error !== undefined && <ErrorNote error={state.error} />}
      <div class="actions">
        <span role="status" class="muted">
          {state.saved ? 'Saved' : ''}
        </span>
        <button type="button" class="secondary" onClick={() => void showPreview()}>
          Preview
        </button>
        <button type="submit" disabled={state.busy} aria-busy={state.busy}>
          Save template
        </button>
      </div>
      {preview && (
        <div class="preview" aria-label="Email preview" role="region">
          <p>
            <strong>Subject:</strong> {preview.subject}
          </p>
          <iframe title="Email preview" sandbox="" srcdoc={preview.html} />
        </div>
      )}
    </form>
  );
}

/** The owner closes the account for good, after typing its id. */
function CloseAccount({ session }: { session: Session }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const id = session.account.creatorId;
  if (session.account.role !== 'owner') return null;
  return (
    <section class="card danger-zone" aria-labelledby="close-h">
      <h2 id="close-h">Close account</h2>
      <p class="muted">
        Deletes everything in this account for good: products, licences (no key of it works again), activations, codes, sales, webhooks, API keys and members. The account ID <code>{id}</code> is never given
        out again. This cannot be undone.
      </p>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        Close account…
      </button>
      {open && (
        <FormDialog
          title="Close this account for good"
          submitLabel="Close account and delete everything"
          danger
          onClose={() => {
            setOpen(false);
            setTyped('');
          }}
          onSubmit={async () => {
            await api('deleteAccount', { confirm: typed.trim() });
            await signOutUser();
            navigate('/signin?closed=1', true);
          }}
        >
          <p>
            Every licence key of this account stops working at once, and its data cannot be recovered. Type the account ID, <code>{id}</code>, to confirm.
          </p>
          <Field label="Account ID to confirm">
            <input value={typed} autocomplete="off" spellcheck={false} required onInput={(e) => setTyped(e.currentTarget.value)} />
          </Field>
        </FormDialog>
      )}
    </section>
  );
}

export function Settings({ session }: { session: Session }) {
  const a = session.account;
  return (
    <section>
      <PageHead title="Settings" />
      <section class="card" aria-labelledby="account-h">
        <h2 id="account-h">Account</h2>
        <dl class="facts">
          <div>
            <dt>Account name</dt>
            <dd>{a.name}</dd>
          </div>
          <div>
            <dt>Account ID</dt>
            <dd>
              <code>{a.creatorId}</code>
            </dd>
          </div>
          <div>
            <dt>Key prefix</dt>
            <dd>
              <code>{a.keyPrefix}-</code> <span class="muted">(fixed at sign-up)</span>
            </dd>
          </div>
          <div>
            <dt>Signed in as</dt>
            <dd>
              {session.user.email} ({a.role === 'owner' ? 'Owner' : 'Member'})
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{dateText(a.createdAt)}</dd>
          </div>
        </dl>
      </section>
      <Members session={session} />
      <BuyerEmail />
      <CloseAccount session={session} />
    </section>
  );
}
