// The console: Firebase Auth decides who is signed in, getAccount which creator they belong to,
// and the path which page shows. Pages call the admin functions through /api/<name>.
import type { User } from 'firebase/auth';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { signOutUser, watchUser } from './firebase';
import { navigate, onLinkClick, useLocation } from './router';
import { ErrorNote, Loading } from './ui';
import { SignIn, SignUp } from './pages/Auth';
import { Products } from './pages/Products';
import { Licenses } from './pages/Licenses';
import { LicenseDetails } from './pages/LicenseDetails';
import { Codes } from './pages/Codes';
import { Sales } from './pages/Sales';
import { Webhooks } from './pages/Webhooks';
import { ApiKeys } from './pages/ApiKeys';
import { Payments } from './pages/Payments';
import { Settings } from './pages/Settings';
import { Outbox } from './pages/Outbox';
import './styles.css';

export interface Account {
  creatorId: string;
  name: string;
  keyPrefix: string;
  role: 'owner' | 'member';
  createdAt: string;
}

export interface Session {
  user: User;
  account: Account;
}

const NAV: [path: string, label: string][] = [
  ['/products', 'Products'],
  ['/licenses', 'Licenses'],
  ['/codes', 'Codes'],
  ['/sales', 'Sales'],
  ['/payments', 'Payments'],
  ['/webhooks', 'Webhooks'],
  ['/api-keys', 'API keys'],
  ['/outbox', 'Outbox'],
  ['/settings', 'Settings'],
];

function Page({ path, session }: { path: string; session: Session }) {
  if (path.startsWith('/licenses/')) return <LicenseDetails licenseKey={decodeURIComponent(path.slice('/licenses/'.length))} />;
  if (path.startsWith('/products')) return <Products />;
  if (path === '/licenses') return <Licenses />;
  if (path === '/codes') return <Codes />;
  if (path === '/sales') return <Sales />;
  if (path === '/payments') return <Payments />;
  if (path === '/webhooks') return <Webhooks />;
  if (path === '/api-keys') return <ApiKeys />;
  if (path === '/settings') return <Settings session={session} />;
  if (path === '/outbox') return <Outbox />;
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is no page at {path}. <a href="/products" onClick={onLinkClick}>Go to Products</a>.
      </p>
    </section>
  );
}

function Shell({ session }: { session: Session }) {
  const { path } = useLocation();
  useEffect(() => {
    if (path === '/' || path === '/signin' || path === '/signup') navigate('/products', true);
  }, [path]);
  useEffect(() => {
    // A new page: move focus to its heading so screen readers and keyboards start there.
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1 && document.activeElement === document.body) h1.focus();
  }, [path]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Seatkey</span>
        <span class="who" title={session.user.email ?? ''}>
          {session.account.name}
        </span>
        <button type="button" class="secondary small" onClick={() => void signOutUser().then(() => navigate('/signin'))}>
          Sign out
        </button>
      </header>
      <nav aria-label="Console">
        <ul>
          {NAV.map(([href, label]) => (
            <li>
              <a href={href} onClick={onLinkClick} aria-current={path === href || (href !== '/' && path.startsWith(`${href}/`)) ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        <Page path={path} session={session} />
      </main>
    </>
  );
}

type AccountState = { status: 'loading' } | { status: 'none' } | { status: 'ready'; account: Account } | { status: 'error'; error: unknown };

function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [account, setAccount] = useState<AccountState>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const { path } = useLocation();
  const [bootError, setBootError] = useState<unknown>(undefined);

  useEffect(() => {
    let stop: (() => void) | undefined;
    watchUser((u) => setUser((prev) => (prev?.uid === u?.uid && prev !== undefined ? prev : u))).then((s) => (stop = s), setBootError);
    return () => stop?.();
  }, []);

  useEffect(() => {
    if (!user) return;
    let current = true;
    setAccount({ status: 'loading' });
    api<{ account: Account | null }>('getAccount').then(
      (r) => current && setAccount(r.account ? { status: 'ready', account: r.account } : { status: 'none' }),
      (error: unknown) => current && setAccount({ status: 'error', error }),
    );
    return () => void (current = false);
  }, [user?.uid, round]);

  if (bootError !== undefined) return <main class="entry"><ErrorNote error={bootError} /></main>;
  if (user === undefined) return <main class="entry"><Loading /></main>;
  if (user && account.status === 'ready') return <Shell session={{ user, account: account.account }} />;
  const reload = () => setRound((r) => r + 1);
  return (
    <main class="entry" id="main">
      <div class="card entry-card">
        <p class="brand">Seatkey</p>
        {user && account.status === 'error' ? (
          <>
            <h1>Something went wrong</h1>
            <ErrorNote error={account.error} onRetry={reload} />
            <button type="button" class="secondary" onClick={() => void signOutUser()}>Sign out</button>
          </>
        ) : path === '/signup' || (user && account.status === 'none') ? (
          <SignUp user={user} onDone={reload} />
        ) : user ? (
          <Loading label="Opening your account…" />
        ) : (
          <SignIn />
        )}
      </div>
    </main>
  );
}

const root = document.getElementById('app')!;
// The buyer portal (docs/portal.md) is its own page in the same app, loaded only at /portal.
if (location.pathname === '/portal' || location.pathname.startsWith('/portal/')) void import('./portal/Portal').then(({ Portal }) => render(<Portal />, root));
else render(<App />, root);
