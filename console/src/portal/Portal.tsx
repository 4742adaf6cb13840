// The buyer portal at /portal (docs/portal.md): a buyer signs in with a link emailed to the address
// they bought with, sees every licence sold to it (of products whose seller turned the portal on),
// shows or copies a key, frees a machine's seat, and has the key emailed again. Its session is its
// own Firebase app's, never the console's.
import type { User } from 'firebase/auth';
import { useEffect, useId, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { activationsText, dateText, dateTimeText, statusLabel } from '../format';
import { Async, Confirm, copyText, Empty, ErrorNote, Field, Loading, useLoad } from '../ui';
import { completeSignIn, isSignInLink, linkMessage, portalApi, rememberEmail, rememberedEmail, signOutBuyer, watchBuyer, type PortalActivation, type PortalLicense } from './session';
import './portal.css';

type Entry = { step: 'form' } | { step: 'sent'; email: string } | { step: 'confirm' } | { step: 'signing-in' } | { step: 'link-error'; error: unknown };

function RequestLink({ onSent }: { onSent: (email: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget as HTMLFormElement).get('email')).trim();
    setBusy(true);
    setError(undefined);
    try {
      // No ID token: asking for a link is open to anyone, limited per address and per IP.
      await api('portalRequestLink', { email }, async () => undefined);
      rememberEmail(email);
      onSent(email);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>Manage your licences</h1>
      <p>Enter the email address you bought with. We will email you a link to sign in: no password needed.</p>
      <form class="stack" onSubmit={submit}>
        <Field label="Email address">
          <input name="email" type="email" required autoComplete="email" maxLength={254} />
        </Field>
        {error !== undefined && <ErrorNote error={error} />}
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? 'Sending…' : 'Email me a sign-in link'}
        </button>
      </form>
    </>
  );
}

function ConfirmEmail({ onSignIn, onRestart }: { onSignIn: (email: string) => Promise<void>; onRestart: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSignIn(String(new FormData(e.currentTarget as HTMLFormElement).get('email')).trim());
    } catch (err) {
      setError(linkMessage(err));
      setBusy(false);
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>Confirm your email</h1>
      <p>To finish signing in, enter the address this link was sent to. (This browser does not know it: the link was asked for elsewhere.)</p>
      <form class="stack" onSubmit={submit}>
        <Field label="Email address">
          <input name="email" type="email" required autoComplete="email" maxLength={254} />
        </Field>
        {error !== undefined && <ErrorNote error={new Error(error)} />}
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" class="secondary" onClick={onRestart}>
          Ask for a new link
        </button>
      </form>
    </>
  );
}

/** The key: masked until "Show"; "Copy" fetches it first when it was not shown. */
function KeyRow({ license }: { license: PortalLicense }) {
  const [key, setKey] = useState<string | undefined>(undefined);
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const fullKey = async (): Promise<string> => {
    if (key) return key;
    const r = await portalApi<{ licenses: PortalLicense[] }>('portalListLicenses', { licenseRef: license.licenseRef });
    const k = r.licenses[0]?.licenseKey;
    if (!k) throw new Error('The key could not be loaded');
    setKey(k);
    return k;
  };
  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  const name = license.product.name;
  return (
    <div class="key-row">
      <div class="row">
        <code class="key" aria-label={shown ? `Licence key for ${name}` : `Licence key for ${name}, hidden`}>
          {shown && key ? key : license.keyMasked}
        </code>
        <button type="button" class="secondary small" disabled={busy} aria-pressed={shown} aria-label={`${shown ? 'Hide' : 'Show'} key for ${name}`} onClick={() => act(async () => (shown ? setShown(false) : (await fullKey(), setShown(true))))}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <button
          type="button"
          class="secondary small"
          disabled={busy}
          aria-label={`Copy key for ${name}`}
          onClick={() =>
            act(async () => {
              await copyText(await fullKey());
              setNote('Copied');
              setTimeout(() => setNote(''), 2000);
            })
          }
        >
          Copy
        </button>
        <span class="copied" role="status" aria-live="polite">
          {note}
        </span>
      </div>
      {error !== undefined && <ErrorNote error={error} />}
    </div>
  );
}

const metadataText = (m: Record<string, unknown>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');

function Activation({ license, activation, onChanged }: { license: PortalLicense; activation: PortalActivation; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const label = activation.label || 'Unnamed machine';
  return (
    <li class="activation">
      <div>
        <strong>{label}</strong>
        <div class="muted small">
          Last seen {dateTimeText(activation.lastSeen ?? activation.firstSeen)}
          {activation.blocked ? ' · Blocked by the seller' : activation.sessionActive ? '' : ' · Not holding a seat'}
        </div>
        {Object.keys(activation.metadata).length > 0 && <div class="muted small wrap">{metadataText(activation.metadata)}</div>}
      </div>
      {!activation.blocked && (
        <button type="button" class="secondary small danger-text" aria-label={`Deactivate ${label}`} onClick={() => setConfirming(true)}>
          Deactivate
        </button>
      )}
      {confirming && (
        <Confirm
          title={`Deactivate ${label}?`}
          message={`This frees its seat so you can activate ${license.product.name} on another machine. ${label} stops working until it is activated again.${
            license.maxTransfers !== null ? ` You can free ${license.maxTransfers} seat${license.maxTransfers === 1 ? '' : 's'} every 30 days (${license.transfersUsed} used).` : ''
          }`}
          confirmLabel="Deactivate"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await portalApi('portalDeactivate', { licenseRef: license.licenseRef, activationId: activation.activationId });
            setConfirming(false);
            onChanged();
          }}
        />
      )}
    </li>
  );
}

function ResendKey({ license }: { license: PortalLicense }) {
  const [state, setState] = useState<{ busy?: boolean; sentTo?: string; error?: unknown }>({});
  return (
    <div class="row">
      <button
        type="button"
        class="secondary"
        disabled={state.busy}
        aria-busy={state.busy}
        aria-label={`Email me my key for ${license.product.name}`}
        onClick={async () => {
          setState({ busy: true });
          try {
            const r = await portalApi<{ to: string }>('portalResendKey', { licenseRef: license.licenseRef });
            setState({ sentTo: r.to });
          } catch (error) {
            setState({ error });
          }
        }}
      >
        {state.busy ? 'Sending…' : 'Email me my key'}
      </button>
      <span role="status" class="muted small">
        {state.sentTo ? `Sent to ${state.sentTo}` : ''}
      </span>
      {state.error !== undefined && <ErrorNote error={state.error} />}
    </div>
  );
}

function LicenseCard({ license, onChanged }: { license: PortalLicense; onChanged: () => void }) {
  const headingId = useId();
  const seats = license.licenseType === 'site' ? 'Site licence: any number of machines' : license.licenseType === 'floating' ? `${license.machinesUsed}/${license.maxConcurrent ?? 1} in use` : activationsText(license.machinesUsed, license.maxMachines);
  return (
    <article class="card licence" aria-labelledby={headingId}>
      <div class="page-head">
        <h2 id={headingId}>{license.product.name}</h2>
        <span class={`badge ${license.status}`}>{statusLabel(license.status)}</span>
      </div>
      <KeyRow license={license} />
      <dl class="facts">
        <div>
          <dt>Activations</dt>
          <dd>{seats}</dd>
        </div>
        <div>
          <dt>Expiry</dt>
          <dd>{license.expiresAt ? `${license.status === 'expired' ? 'Expired' : 'Expires'} ${dateText(license.expiresAt)}` : 'Never expires'}</dd>
        </div>
        {license.product.supportEmail && (
          <div>
            <dt>Support</dt>
            <dd>
              <a href={`mailto:${license.product.supportEmail}`}>{license.product.supportEmail}</a>
            </dd>
          </div>
        )}
        {Object.keys(license.metadata).length > 0 && (
          <div>
            <dt>Details</dt>
            <dd class="wrap">{metadataText(license.metadata)}</dd>
          </div>
        )}
      </dl>
      <h3 class="machines-head">Machines</h3>
      {license.activations.length === 0 ? (
        <p class="muted">No machines yet. Enter the key in {license.product.name} to activate it.</p>
      ) : (
        <ul class="list" aria-label={`Machines using ${license.product.name}`}>
          {license.activations.map((a) => (
            <Activation key={a.activationId} license={license} activation={a} onChanged={onChanged} />
          ))}
        </ul>
      )}
      <ResendKey license={license} />
    </article>
  );
}

function Licences({ user }: { user: User }) {
  const list = useLoad(async () => (await portalApi<{ email: string; licenses: PortalLicense[] }>('portalListLicenses')).licenses, [user.uid]);
  return (
    <>
      <h1 tabIndex={-1}>Your licences</h1>
      <Async loaded={list} label="Loading your licences…">
        {(licenses) =>
          licenses.length === 0 ? (
            <Empty>
              No licences for {user.email}. A licence shows here once its seller has turned on this portal for it. If you bought with another address, sign out and use
              that one.
            </Empty>
          ) : (
            licenses.map((l) => <LicenseCard key={l.licenseRef} license={l} onChanged={list.reload} />)
          )
        }
      </Async>
    </>
  );
}

export function Portal() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(undefined);
  const [entry, setEntry] = useState<Entry>({ step: 'form' });
  const [checkedLink, setCheckedLink] = useState(false);

  useEffect(() => {
    document.title = 'Your licences';
    let stop: (() => void) | undefined;
    watchBuyer(setUser).then((s) => (stop = s), setBootError);
    return () => stop?.();
  }, []);

  const signInWith = async (email: string) => {
    await completeSignIn(email, location.href);
    history.replaceState(null, '', '/portal');
    setEntry({ step: 'form' });
  };

  /** Back to the sign-in form, leaving the link's address behind. */
  const restart = () => {
    history.replaceState(null, '', '/portal');
    setEntry({ step: 'form' });
  };

  // Opened from the emailed link: finish signing in with the address this browser asked with.
  useEffect(() => {
    isSignInLink(location.href).then(async (isLink) => {
      setCheckedLink(true);
      if (!isLink) return;
      const email = rememberedEmail();
      if (!email) return setEntry({ step: 'confirm' });
      setEntry({ step: 'signing-in' });
      try {
        await signInWith(email);
      } catch (error) {
        setEntry({ step: 'link-error', error: new ApiError(linkMessage(error), 'link', 0) });
      }
    }, setBootError);
  }, []);

  let body;
  if (bootError !== undefined) body = <ErrorNote error={bootError} onRetry={() => location.reload()} />;
  else if (user === undefined || !checkedLink) body = <Loading />;
  else if (entry.step === 'signing-in') body = <Loading label="Signing you in…" />;
  else if (user) body = <Licences user={user} />;
  else if (entry.step === 'sent')
    body = (
      <>
        <h1 tabIndex={-1}>Check your email</h1>
        <p>
          If <strong>{entry.email}</strong> has licences here, we have sent it a sign-in link. Open it in this browser to see your licences.
        </p>
        <button type="button" class="secondary" onClick={() => setEntry({ step: 'form' })}>
          Use a different address
        </button>
      </>
    );
  else if (entry.step === 'confirm') body = <ConfirmEmail onSignIn={signInWith} onRestart={restart} />;
  else if (entry.step === 'link-error')
    body = (
      <>
        <h1 tabIndex={-1}>That link did not work</h1>
        <ErrorNote error={entry.error} />
        <button type="button" onClick={restart}>
          Ask for a new link
        </button>
      </>
    );
  else body = <RequestLink onSent={(email) => setEntry({ step: 'sent', email })} />;

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Licence portal</span>
        {user && (
          <>
            <span class="who" title={user.email ?? ''}>
              {user.email}
            </span>
            <button type="button" class="secondary small" onClick={() => void signOutBuyer()}>
              Sign out
            </button>
          </>
        )}
      </header>
      <main id="main" class={`portal ${user ? '' : 'portal-entry'}`}>
        <div class={user ? 'portal-wide' : 'card entry-card'}>{body}</div>
      </main>
    </>
  );
}
