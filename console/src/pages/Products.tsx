// Products and their plans (variants). Each plan has a "License keys" section: an activation
// limit (off = unlimited) and a licence expiry (off = never), saved with "Save changes".
import { useId, useState } from 'preact/hooks';
import { api } from '../api';
import { Async, Empty, ErrorNote, Field, FormDialog, PageHead, Switch, useLoad } from '../ui';
import { ProductPortalSettings } from '../portal/ProductPortalSettings';

export interface Product {
  productId: string;
  name: string;
  status: string;
  licenseType: string;
  maxMachines: number;
  portalEnabled?: boolean;
  supportEmail?: string | null;
}

export interface Plan {
  variantId: string;
  productId: string;
  name: string;
  maxMachines: number | null;
  duration: { value: number; unit: 'days' | 'months' | 'years' } | null;
  durationDays: number | null;
  active: boolean;
}

export const listAllProducts = async () => (await api<{ products: Product[] }>('listProducts', { includeAll: true })).products;

const UNITS = [
  ['days', 'Days'],
  ['months', 'Months'],
  ['years', 'Years'],
] as const;

function PlanEditor({ plan, onSaved }: { plan: Plan; onSaved: () => void }) {
  const duration = plan.duration ?? (plan.durationDays ? { value: plan.durationDays, unit: 'days' as const } : null);
  const [limitOn, setLimitOn] = useState(plan.maxMachines !== null && plan.maxMachines > 0);
  const [limit, setLimit] = useState(String(plan.maxMachines && plan.maxMachines > 0 ? plan.maxMachines : 1));
  const [expiryOn, setExpiryOn] = useState(duration !== null);
  const [expiry, setExpiry] = useState(String(duration?.value ?? 1));
  const [unit, setUnit] = useState<'days' | 'months' | 'years'>(duration?.unit ?? 'years');
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; saved?: boolean }>({});
  const ids = { limit: useId(), expiry: useId(), status: useId() };
  const save = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    try {
      await api('updateVariant', {
        productId: plan.productId,
        variantId: plan.variantId,
        maxMachines: limitOn ? Number(limit) : -1,
        duration: expiryOn ? { value: Number(expiry), unit } : null,
      });
      setState({ saved: true });
      onSaved();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <form class="plan card" onSubmit={save} aria-label={`Plan ${plan.name}`}>
      <h3>{plan.name}</h3>
      <fieldset>
        <legend>License keys</legend>
        <div class="setting">
          <span class="label" id={ids.limit}>Activation limit</span>
          <Switch label="Activation limit" checked={limitOn} onChange={setLimitOn} />
          {limitOn ? (
            <input type="number" min={1} max={1000000} required aria-label="Activation limit" value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />
          ) : (
            <span class="muted">Unlimited</span>
          )}
        </div>
        <div class="setting">
          <span class="label" id={ids.expiry}>License expiry</span>
          <Switch label="License expiry" checked={expiryOn} onChange={setExpiryOn} />
          {expiryOn ? (
            <>
              <input type="number" min={1} max={100000} required aria-label="License expiry" value={expiry} onInput={(e) => setExpiry(e.currentTarget.value)} />
              <select aria-label="License expiry unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value as typeof unit)}>
                {UNITS.map(([v, l]) => (
                  <option value={v}>{l}</option>
                ))}
              </select>
            </>
          ) : (
            <span class="muted">Never expires</span>
          )}
        </div>
      </fieldset>
      {state.error !== undefined && <ErrorNote error={state.error} />}
      <div class="actions">
        <span role="status" id={ids.status} class="muted">
          {state.saved ? 'Saved' : ''}
        </span>
        <button type="submit" disabled={state.busy} aria-busy={state.busy}>
          {state.busy ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}

function ProductCard({ product }: { product: Product }) {
  const plans = useLoad(async () => (await api<{ variants: Plan[] }>('listVariants', { productId: product.productId })).variants, [product.productId]);
  const [adding, setAdding] = useState(false);
  return (
    <section class="card product" aria-labelledby={`p-${product.productId}`}>
      <div class="page-head">
        <h2 id={`p-${product.productId}`}>
          {product.name} <code class="muted">{product.productId}</code> <span class={`badge ${product.status}`}>{product.status}</span>
        </h2>
        <button type="button" class="secondary" onClick={() => setAdding(true)} aria-label={`Add plan to ${product.name}`}>
          Add plan
        </button>
      </div>
      <Async loaded={plans} label="Loading plans…">
        {(list) =>
          list.length === 0 ? (
            <Empty>No plans yet. Add one to set its activation limit and licence expiry.</Empty>
          ) : (
            <div class="plans">
              {list.map((plan) => (
                <PlanEditor key={`${plan.variantId}`} plan={plan} onSaved={() => undefined} />
              ))}
            </div>
          )
        }
      </Async>
      <ProductPortalSettings product={product} />
      {adding && (
        <FormDialog
          title={`Add a plan to ${product.name}`}
          submitLabel="Add plan"
          onClose={() => setAdding(false)}
          onSubmit={async (form) => {
            await api('createVariant', { productId: product.productId, name: String(form.get('name')) });
            setAdding(false);
            plans.reload();
          }}
        >
          <Field label="Plan name" hint="For example Personal, Team or Lifetime.">
            <input name="name" required maxLength={200} />
          </Field>
        </FormDialog>
      )}
    </section>
  );
}

export function Products() {
  const products = useLoad(listAllProducts, []);
  const [creating, setCreating] = useState(false);
  const [slug, setSlug] = useState('');
  return (
    <section>
      <PageHead title="Products">
        <button type="button" onClick={() => setCreating(true)}>
          Create product
        </button>
      </PageHead>
      <Async loaded={products} label="Loading products…">
        {(list) => (list.length === 0 ? <Empty>No products yet. Create your first product to start issuing licences.</Empty> : list.map((p) => <ProductCard key={p.productId} product={p} />))}
      </Async>
      {creating && (
        <FormDialog
          title="Create product"
          submitLabel="Create product"
          onClose={() => setCreating(false)}
          onSubmit={async (form) => {
            await api('createProduct', { name: String(form.get('name')), slug, status: 'live' });
            setCreating(false);
            setSlug('');
            products.reload();
          }}
        >
          <Field label="Product name">
            <input name="name" required maxLength={200} onInput={(e) => setSlug(e.currentTarget.value.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 64))} />
          </Field>
          <Field label="Product ID" hint="Lower-case letters, digits and dashes. Your app sends it as productId.">
            <input name="slug" required pattern="[a-z0-9]([a-z0-9\-]{0,62}[a-z0-9])?" maxLength={64} value={slug} onInput={(e) => setSlug(e.currentTarget.value)} />
          </Field>
        </FormDialog>
      )}
    </section>
  );
}
