// The creator's side of the buyer portal, on each product's card: whether buyers may manage this
// product's licences at /portal, and the support address the portal shows them.
import { useId, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, Field } from '../ui';

export interface PortalSettings {
  productId: string;
  name: string;
  portalEnabled?: boolean;
  supportEmail?: string | null;
}

export function ProductPortalSettings({ product }: { product: PortalSettings }) {
  const [enabled, setEnabled] = useState(product.portalEnabled === true);
  const [support, setSupport] = useState(product.supportEmail ?? '');
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; saved?: boolean }>({});
  const ids = { enabled: useId(), hint: useId() };
  const save = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    try {
      await api('updateProduct', { productId: product.productId, portalEnabled: enabled, supportEmail: support.trim() || null });
      setState({ saved: true });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <form class="portal-settings" onSubmit={save} aria-label={`Buyer portal for ${product.name}`}>
      <fieldset>
        <legend>Buyer portal</legend>
        <div class="setting">
          <input id={ids.enabled} type="checkbox" aria-describedby={ids.hint} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <label for={ids.enabled}>Let buyers manage their licences in the portal</label>
        </div>
        <p class="muted" id={ids.hint}>
          Buyers sign in at <a href="/portal">/portal</a> with a link sent to the address the licence was sold to, see their keys and free their own machines.
        </p>
        <Field label="Support email" hint="Shown to buyers in the portal; leave empty for none.">
          <input type="email" maxLength={254} value={support} placeholder="support@example.com" onInput={(e) => setSupport(e.currentTarget.value)} />
        </Field>
      </fieldset>
      {state.error !== undefined && <ErrorNote error={state.error} />}
      <div class="actions">
        <span role="status" class="muted">
          {state.saved ? 'Saved' : ''}
        </span>
        <button type="submit" disabled={state.busy} aria-busy={state.busy} aria-label={`Save portal settings for ${product.name}`}>
          {state.busy ? 'Saving…' : 'Save portal settings'}
        </button>
      </div>
    </form>
  );
}
