// Sign in, and sign-up: a Firebase Auth user (email and password) and then the creator account,
// whose id the person chooses (its licence-key prefix is fixed from it).
import type { User } from 'firebase/auth';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { authMessage, signIn, signOutUser, signUp, verifyEmail } from '../firebase';
import { navigate, onLinkClick, useLocation } from '../router';
import { ErrorNote, Field } from '../ui';
import { keyPrefixFor } from '../../../functions/src/domain/creator';


function useSubmit(action: (form: FormData) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const onSubmit = async (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action(new FormData(e.currentTarget));
    } catch (err) {
      setError(authMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, onSubmit };
}

export function SignIn() {
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    await signIn(String(form.get('email')), String(form.get('password')));
  });
  const closed = useLocation().query.get('closed') === '1';
  return (
    <>
      <h1>Sign in</h1>
      {closed && (
        <p role="status" class="notice">
          Your account was closed and everything in it deleted.
        </p>
      )}
      <form class="stack" onSubmit={onSubmit}>
        <Field label="Email">
          <input name="email" type="email" autocomplete="username" required />
        </Field>
        <Field label="Password">
          <input name="password" type="password" autocomplete="current-password" required />
        </Field>
        {error && <ErrorNote error={error} />}
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New to Seatkey?{' '}
        <a href="/signup" onClick={onLinkClick}>
          Create an account
        </a>
      </p>
    </>
  );
}

export function SignUp({ user, onDone }: { user: User | null; onDone: () => void }) {
  const [accountId, setAccountId] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    if (!user) await signUp(String(form.get('email')), String(form.get('password')));
    await api('createAccount', { creatorId: accountId, name: String(form.get('name') ?? '').trim() || undefined });
    navigate('/products', true);
    onDone();
  });
  return (
    <>
      <h1>{user ? 'Finish creating your account' : 'Create your account'}</h1>
      {user && (
        <div class="note">
          <p>
            Signed in as <strong>{user.email}</strong>. Choose an account ID to start your own Seatkey account.
          </p>
          {!user.emailVerified && (
            <p>
              Invited to a team? Verify your email address, then sign in again to join it.{' '}
              <button type="button" class="link" disabled={sent} onClick={() => void verifyEmail(user).then(() => setSent(true))}>
                {sent ? 'Verification email sent' : 'Send verification email'}
              </button>
            </p>
          )}
        </div>
      )}
      <form class="stack" onSubmit={onSubmit}>
        {!user && (
          <>
            <Field label="Email">
              <input name="email" type="email" autocomplete="username" required />
            </Field>
            <Field label="Password" hint="At least 6 characters.">
              <input name="password" type="password" autocomplete="new-password" minLength={6} required />
            </Field>
          </>
        )}
        <Field label="Account ID" hint={`Lower-case letters, digits, - and _. Your licence keys will start with ${keyPrefixFor(accountId)}-; this cannot change later.`}>
          <input
            name="creatorId"
            required
            pattern="[a-z0-9][a-z0-9_\-]{0,62}"
            autocomplete="off"
            spellcheck={false}
            value={accountId}
            onInput={(e) => setAccountId(e.currentTarget.value.toLowerCase())}
          />
        </Field>
        <Field label="Account name">
          <input name="name" maxLength={100} autocomplete="organization" />
        </Field>
        {error && <ErrorNote error={error} />}
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      {user ? (
        <p>
          <button type="button" class="link" onClick={() => void signOutUser()}>
            Sign out
          </button>
        </p>
      ) : (
        <p>
          Already have an account?{' '}
          <a href="/signin" onClick={onLinkClick}>
            Sign in
          </a>
        </p>
      )}
    </>
  );
}
