// Licences: search by licence key, email or order (purchase) id; filter by product and status;
// a page at a time; "Create license".
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { activationsText, dateText, statusLabel } from '../format';
import { navigate, onLinkClick, useLocation } from '../router';
import { Async, Empty, Field, FormDialog, PageHead, useLoad, Table } from '../ui';
import { listAllProducts, type Plan } from './Products';

export interface License {
  licenseKey: string;
  email: string;
  productId: string;
  variant: string | null;
  status: string;
  maxMachines: number;
  machinesUsed: number;
  expiresAt: string | null;
  purchaseId: string | null;
  createdAt: string;
}

const STATUSES = ['active', 'degraded', 'suspended', 'revoked', 'expired'];
const PAGE_SIZE = 25;
/** A licence key's shape (PREFIX-XXXX-XXXX-XXXX-CC), typed in any case. */
const looksLikeKey = (s: string) => /^[A-Za-z0-9]{1,8}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{2}$/.test(s);

interface Query {
  q: string;
  productId: string;
  status: string;
}

/** One search box for three kinds of input: a key opens the licence, an email or an order id filters. */
async function search(query: Query, cursor: string | undefined): Promise<{ licenses: License[]; nextCursor: string | null }> {
  const q = query.q.trim();
  const filters = { ...(query.productId ? { productId: query.productId } : {}), ...(query.status ? { status: query.status } : {}) };
  if (q && looksLikeKey(q)) {
    try {
      const r = await api<{ license: License }>('getLicense', { licenseKey: q });
      return { licenses: [r.license], nextCursor: null };
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 400)) throw e;
    }
  }
  if (q.includes('@')) return api('listLicenses', { ...filters, email: q, limit: PAGE_SIZE, cursor });
  if (q) return api('listLicenses', { ...filters, purchaseId: q });
  return api('listLicenses', { ...filters, limit: PAGE_SIZE, cursor });
}

export function Licenses() {
  const { query: params } = useLocation();
  const [query, setQuery] = useState<Query>({ q: params.get('q') ?? '', productId: params.get('product') ?? '', status: params.get('status') ?? '' });
  const [draft, setDraft] = useState(query.q);
  // The cursors of the pages before this one, so "Previous page" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(() => search(query, cursor), [query, cursor]);
  const products = useLoad(listAllProducts, []);
  const [creating, setCreating] = useState(false);
  const apply = (next: Partial<Query>) => {
    setQuery({ ...query, ...next });
    setCursors([undefined]);
  };
  return (
    <section>
      <PageHead title="Licenses">
        <button type="button" onClick={() => setCreating(true)}>
          Create license
        </button>
      </PageHead>
      <form
        role="search"
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ q: draft });
        }}
      >
        <input type="search" aria-label="Search licenses" placeholder="Licence key, email or order ID" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit" class="secondary">
          Search
        </button>
        <select aria-label="Product" value={query.productId} onChange={(e) => apply({ productId: e.currentTarget.value })}>
          <option value="">All products</option>
          {(products.data ?? []).map((p) => (
            <option value={p.productId}>{p.name}</option>
          ))}
        </select>
        <select aria-label="Status" value={query.status} onChange={(e) => apply({ status: e.currentTarget.value })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option value={s}>{statusLabel(s)}</option>
          ))}
        </select>
      </form>
      <Async loaded={page} label="Loading licences…">
        {({ licenses, nextCursor }) => (
          <>
            {licenses.length === 0 ? (
              <Empty>{query.q || query.productId || query.status ? 'No licences match.' : 'No licences yet. Create one, or connect a payment provider.'}</Empty>
            ) : (
              <Table caption="Licences" columns={["Licence key", "Email", "Product", "Status", "Activations", "Expires"]}>
                    {licenses.map((l) => (
                      <tr>
                        <td>
                          <a href={`/licenses/${encodeURIComponent(l.licenseKey)}`} onClick={onLinkClick}>
                            <code>{l.licenseKey}</code>
                          </a>
                        </td>
                        <td>{l.email}</td>
                        <td>
                          {l.productId}
                          {l.variant ? ` · ${l.variant}` : ''}
                        </td>
                        <td>
                          <span class={`badge ${l.status}`}>{statusLabel(l.status)}</span>
                        </td>
                        <td>{activationsText(l.machinesUsed, l.maxMachines)}</td>
                        <td>{l.expiresAt ? dateText(l.expiresAt) : 'Never'}</td>
                      </tr>
                    ))}
                  </Table>
            )}
            <nav class="pager" aria-label="Pages">
              <button type="button" class="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous page
              </button>
              <span class="muted">Page {cursors.length}</span>
              <button type="button" class="secondary" disabled={!nextCursor} onClick={() => nextCursor && setCursors([...cursors, nextCursor])}>
                Next page
              </button>
            </nav>
          </>
        )}
      </Async>
      {creating && <CreateLicense products={products.data ?? []} onClose={() => setCreating(false)} />}
    </section>
  );
}

function CreateLicense({ products, onClose }: { products: { productId: string; name: string }[]; onClose: () => void }) {
  const [productId, setProductId] = useState(products[0]?.productId ?? '');
  const plans = useLoad(async () => (productId ? (await api<{ variants: Plan[] }>('listVariants', { productId })).variants : []), [productId]);
  return (
    <FormDialog
      title="Create license"
      submitLabel="Create license"
      onClose={onClose}
      onSubmit={async (form) => {
        const variant = String(form.get('variant') ?? '');
        const purchaseId = String(form.get('purchaseId') ?? '').trim();
        const r = await api<{ licenseKey: string }>('createLicense', {
          email: String(form.get('email')),
          productId,
          ...(variant ? { variant } : {}),
          ...(purchaseId ? { purchaseId } : {}),
        });
        onClose();
        navigate(`/licenses/${encodeURIComponent(r.licenseKey)}`);
      }}
    >
      {products.length === 0 && <p class="error" role="alert">Create a product first.</p>}
      <Field label="Buyer email">
        <input name="email" type="email" required />
      </Field>
      <Field label="Product">
        <select name="productId" required value={productId} onChange={(e) => setProductId(e.currentTarget.value)}>
          {products.map((p) => (
            <option value={p.productId}>{p.name}</option>
          ))}
        </select>
      </Field>
      <Field label="Plan">
        <select name="variant" disabled={plans.loading}>
          <option value="">Product defaults</option>
          {(plans.data ?? []).map((v) => (
            <option value={v.variantId}>{v.name}</option>
          ))}
        </select>
      </Field>
      <Field label="Order ID" hint="Optional. The same order ID never issues a second licence.">
        <input name="purchaseId" maxLength={200} />
      </Field>
    </FormDialog>
  );
}
