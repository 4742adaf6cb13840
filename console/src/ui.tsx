// The console's shared pieces: loading, empty and error states, dialogs, confirmations, switches,
// the copy button and the menu button. Each control is a native element or follows the WAI-ARIA
// pattern for its role, so it has an accessible name and works by keyboard.
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { errorText } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change; `reload` runs it again. Stale answers are dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const mine = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => mine === latest.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === latest.current && setState({ data: undefined, error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** A one-click action (toggle, resume): runs it, keeping its error to show with <ErrorNote>. */
export function useAction(): { error: unknown; run: (action: () => Promise<unknown>) => Promise<void> } {
  const [error, setError] = useState<unknown>(undefined);
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    }
  };
  return { error, run };
}

export const Loading = ({ label = 'Loading…' }: { label?: string }) => (
  <p class="state" role="status" aria-live="polite">
    <span class="spinner" aria-hidden="true" /> {label}
  </p>
);

export const ErrorNote = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => (
  <div class="error" role="alert">
    <span>{errorText(error)}</span>
    {onRetry && (
      <button type="button" class="secondary" onClick={onRetry}>
        Try again
      </button>
    )}
  </div>
);

export const Empty = ({ children }: { children: ComponentChildren }) => <p class="state empty">{children}</p>;

/** Loading, error or the content, for one loaded value. */
export function Async<T>({ loaded, children, label }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren; label?: string }) {
  if (loaded.error !== undefined) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading label={label} />;
  return <>{children(loaded.data)}</>;
}

/** A modal dialog (native <dialog>: focus stays inside, Escape closes). */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const opener = document.activeElement as HTMLElement | null;
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog ref={ref} class={wide ? 'wide' : undefined} aria-labelledby={titleId} onCancel={(e) => (e.preventDefault(), onClose())}>
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

/** A form in a dialog: shows "Working…" while `onSubmit` runs and the API's message if it fails. */
export function FormDialog({
  title,
  submitLabel,
  danger,
  onSubmit,
  onClose,
  children,
  wide,
}: {
  title: string;
  submitLabel: string;
  danger?: boolean;
  onSubmit: (form: FormData) => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(new FormData(e.currentTarget));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} wide={wide}>
      <form onSubmit={submit} class="stack">
        {children}
        {error !== undefined && <ErrorNote error={error} />}
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class={danger ? 'danger' : undefined} disabled={busy} aria-busy={busy}>
            {busy ? 'Working…' : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A confirmation that says what the action does before it does it. */
export function Confirm({ title, message, confirmLabel, onConfirm, onClose }: { title: string; message: ComponentChildren; confirmLabel: string; onConfirm: () => Promise<void>; onClose: () => void }) {
  return (
    <FormDialog title={title} submitLabel={confirmLabel} danger onSubmit={onConfirm} onClose={onClose}>
      <p>{message}</p>
    </FormDialog>
  );
}

/** An on/off switch (role="switch"): Space or Enter toggles it. */
export function Switch({ label, checked, onChange, id }: { label: string; checked: boolean; onChange: (on: boolean) => void; id?: string }) {
  return (
    <button type="button" role="switch" id={id} class="switch" aria-checked={checked} aria-label={label} onClick={() => onChange(!checked)}>
      <span class="knob" aria-hidden="true" />
      <span class="switch-text" aria-hidden="true">
        {checked ? 'On' : 'Off'}
      </span>
    </button>
  );
}

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (some browsers, insecure origins): copy through a selection.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        class="secondary small"
        onClick={async () => {
          await copyText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        {label}
      </button>
      <span class="copied" role="status" aria-live="polite">
        {copied ? 'Copied' : ''}
      </span>
    </>
  );
}

/** A secret shown once (API keys, webhook secrets): the value, Copy, and a warning. */
export const SecretOnce = ({ secret, what }: { secret: string; what: string }) => (
  <div class="secret">
    <p>
      Copy this {what} now: it is shown only once and Seatkey keeps only a hash of it.
    </p>
    <div class="row">
      <code class="key" aria-label={`${what} (shown once)`}>
        {secret}
      </code>
      <CopyButton text={secret} />
    </div>
  </div>
);

export interface MenuItem {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
}

/** A menu button (WAI-ARIA menu pattern): arrows move, Enter selects, Escape closes. */
export function Menu({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const enabled = items.filter((i) => !i.disabled);
  const focusItem = (index: number) => {
    const nodes = listRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])');
    if (!nodes || nodes.length === 0) return;
    nodes[(index + nodes.length) % nodes.length]!.focus();
  };
  useEffect(() => {
    if (!open) return;
    focusItem(0);
    const outside = (e: MouseEvent) => {
      if (!listRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  const onKey = (e: KeyboardEvent) => {
    const nodes = [...(listRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])];
    const at = nodes.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') (e.preventDefault(), focusItem(at + 1));
    else if (e.key === 'ArrowUp') (e.preventDefault(), focusItem(at - 1));
    else if (e.key === 'Home') (e.preventDefault(), focusItem(0));
    else if (e.key === 'End') (e.preventDefault(), focusItem(enabled.length - 1));
    else if (e.key === 'Escape' || e.key === 'Tab') {
      setOpen(false);
      if (e.key === 'Escape') buttonRef.current?.focus();
    }
  };
  return (
    <div class="menu">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') (e.preventDefault(), setOpen(true));
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul ref={listRef} id={menuId} role="menu" aria-label={label} onKeyDown={onKey}>
          {items.map((item) => (
            <li
              role="menuitem"
              tabIndex={-1}
              aria-disabled={item.disabled ? 'true' : undefined}
              class={item.disabled ? 'disabled' : undefined}
              onClick={() => {
                if (item.disabled) return;
                setOpen(false);
                item.onSelect();
              }}
              onKeyDown={(e) => {
                if ((e.key === 'Enter' || e.key === ' ') && !item.disabled) {
                  e.preventDefault();
                  setOpen(false);
                  item.onSelect();
                }
              }}
            >
              {item.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A data table that scrolls sideways on narrow screens. `caption` names it for screen readers
 * (shown when `visibleCaption`); a column named '' holds row actions.
 */
export const Table = ({ caption, columns, children, visibleCaption }: { caption: string; columns: string[]; children: ComponentChildren; visibleCaption?: boolean }) => (
  <div class="table-wrap">
    <table>
      <caption class={visibleCaption ? undefined : 'sr-only'}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col">{c === '' ? <span class="sr-only">Actions</span> : c}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  </div>
);

/** A labelled form field. */
export const Field = ({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) => (
  <label class="field">
    <span class="label">{label}</span>
    {children}
    {hint && <span class="hint">{hint}</span>}
  </label>
);

export const PageHead = ({ title, children }: { title: string; children?: ComponentChildren }) => (
  <div class="page-head">
    <h1 tabIndex={-1}>{title}</h1>
    <div class="row">{children}</div>
  </div>
);
