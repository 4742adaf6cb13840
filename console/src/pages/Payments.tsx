// Payment connections: connect Stripe, Paddle, Lemon Squeezy, Gumroad or Polar (signing secret
// write-only; Gumroad's URL, with its token, shown once), copy the webhook URL to paste into the
// provider's dashboard, and map the provider's ids to products ("Map product", "Remove").
import { useState } from 'preact/hooks';
import { api } from '../api';
import { dateText } from '../format';
import { Async, Confirm, CopyButton, Empty, Field, FormDialog, PageHead, Table, useLoad } from '../ui';
import { listAllProducts, type Product } from './Products';

interface Mapping {
  match: string;
  productId: string;
  variant?: string;
}

interface Connection {
  id: string;
  provider: Provider;
  name: string;
  products: Mapping[];
  sellerId: string | null;
  webhookUrl: string;
  createdAt: string;
}

type Provider = 'stripe' | 'paddle' | 'lemonsqueezy' | 'gumroad' | 'polar';

const PROVIDERS: Record<Provider, { label: string; secret: string; match: string }> = {
  stripe: { label: 'Stripe', secret: 'Signing secret (whsec_…) from Developers → Webhooks', match: 'Price, product or payment link ID (price_…, prod_…, plink_…)' },
  paddle: { label: 'Paddle Billing', secret: 'Secret key of the notification destination', match: 'Price or product ID (pri_…, pro_…)' },
  lemonsqueezy: { label: 'Lemon Squeezy', secret: 'Signing secret you set on the webhook', match: 'Variant or product ID' },
  gumroad: { label: 'Gumroad', secret: '', match: 'Product ID or permalink' },
  polar: { label: 'Polar', secret: 'Webhook secret from Settings → Webhooks', match: 'Product ID' },
};

const ProductSelect = ({ products }: { products: Product[] }) => (
  <Field label="Seatkey product">
    <select name="productId">
      {products.map((p) => (
        <option value={p.productId}>{p.name}</option>
      ))}
    </select>
  </Field>
);

function ConnectForm({ products, onClose, onDone }: { products: Product[]; onClose: () => void; onDone: (c: Connection, url: string) => void }) {
  const [provider, setProvider] = useState<Provider>('stripe');
  return (
    <FormDialog
      title="Connect a payment provider"
      submitLabel="Connect"
      onClose={onClose}
      onSubmit={async (form) => {
        const match = String(form.get('match') ?? '').trim();
        const body: Record<string, unknown> = {
          provider,
          name: String(form.get('name') || PROVIDERS[provider].label),
          products: match ? [{ match, productId: String(form.get('productId')) }] : [],
        };
        if (provider === 'gumroad') body.sellerId = String(form.get('sellerId'));
        else body.signingSecret = String(form.get('signingSecret'));
        const r = await api<{ connection: Connection; webhookUrl: string }>('createPaymentConnection', body);
        onDone(r.connection, r.webhookUrl);
      }}
    >
      <Field label="Provider">
        <select name="provider" value={provider} onChange={(e) => setProvider(e.currentTarget.value as Provider)}>
          {Object.entries(PROVIDERS).map(([value, p]) => (
            <option value={value}>{p.label}</option>
          ))}
        </select>
      </Field>
      <Field label="Name" hint="Optional, for example “Main store”.">
        <input name="name" maxLength={100} />
      </Field>
      {provider === 'gumroad' ? (
        <Field label="Seller ID" hint="Gumroad → Settings → Advanced; every ping must carry it.">
          <input name="sellerId" required maxLength={100} />
        </Field>
      ) : (
        <Field label="Signing secret" hint={`${PROVIDERS[provider].secret}. Stored write-only: it is never shown again.`}>
          <input name="signingSecret" type="password" required minLength={8} maxLength={1000} autoComplete="off" />
        </Field>
      )}
      <Field label="Provider product" hint={`Optional now, add more later. ${PROVIDERS[provider].match}.`}>
        <input name="match" maxLength={200} />
      </Field>
      <ProductSelect products={products} />
    </FormDialog>
  );
}

function MapForm({ connection, products, onClose, onDone }: { connection: Connection; products: Product[]; onClose: () => void; onDone: () => void }) {
  return (
    <FormDialog
      title={`Map a product for ${connection.name}`}
      submitLabel="Map product"
      onClose={onClose}
      onSubmit={async (form) => {
        const variant = String(form.get('variant') ?? '').trim();
        const added: Mapping = { match: String(form.get('match')).trim(), productId: String(form.get('productId')), ...(variant ? { variant } : {}) };
        await api('updatePaymentConnection', { id: connection.id, products: [...connection.products, added] });
        onDone();
      }}
    >
      <Field label="Provider product" hint={PROVIDERS[connection.provider].match}>
        <input name="match" required maxLength={200} />
      </Field>
      <ProductSelect products={products} />
      <Field label="Plan" hint="Optional: the plan (variant) ID this sells.">
        <input name="variant" maxLength={64} />
      </Field>
    </FormDialog>
  );
}

const productName = (products: Product[], id: string) => products.find((p) => p.productId === id)?.name ?? id;

export function Payments() {
  const data = useLoad(async () => {
    const [connections, products] = await Promise.all([api<{ connections: Connection[] }>('listPaymentConnections'), listAllProducts()]);
    return { connections: connections.connections, products };
  }, []);
  const [connecting, setConnecting] = useState(false);
  const [mapping, setMapping] = useState<Connection | undefined>(undefined);
  const [removing, setRemoving] = useState<Connection | undefined>(undefined);
  const [created, setCreated] = useState<{ connection: Connection; url: string } | undefined>(undefined);
  return (
    <section>
      <PageHead title="Payment connections">
        <button type="button" onClick={() => setConnecting(true)}>
          Connect provider
        </button>
      </PageHead>
      <p class="muted">Paste a connection's webhook URL into your provider's dashboard; Seatkey checks the provider's signature and issues, renews and revokes licences.</p>
      {created && (
        <div class="card" role="region" aria-label="New connection">
          <p>
            <strong>{created.connection.name}</strong> is connected. Paste this URL into {PROVIDERS[created.connection.provider].label}:
          </p>
          <div class="row">
            <code class="key" aria-label="Webhook URL">
              {created.url}
            </code>
            <CopyButton text={created.url} label="Copy webhook URL" />
          </div>
          {created.connection.provider === 'gumroad' && <p>This URL carries a secret token and is shown only once.</p>}
          <button type="button" class="secondary small" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      )}
      <Async loaded={data} label="Loading payment connections…">
        {({ connections, products }) => (
          <>
            {connections.length === 0 ? (
              <Empty>No payment connections yet. Connect Stripe, Paddle, Lemon Squeezy, Gumroad or Polar.</Empty>
            ) : (
              connections.map((c) => (
                <div class="card" role="region" aria-label={c.name}>
                  <h2>
                    {c.name} <span class="muted">({PROVIDERS[c.provider].label}, connected {dateText(c.createdAt)})</span>
                  </h2>
                  <div class="row">
                    <code class="key" aria-label={`Webhook URL of ${c.name}`}>
                      {c.webhookUrl}
                      {c.provider === 'gumroad' ? '?token=…' : ''}
                    </code>
                    <CopyButton text={c.webhookUrl} label={`Copy webhook URL of ${c.name}`} />
                  </div>
                  {c.products.length === 0 ? (
                    <Empty>No products mapped: purchases name theirs in checkout metadata (seatkey_product), or show as unmatched in the event log.</Empty>
                  ) : (
                    <Table caption={`Products mapped for ${c.name}`} columns={['Provider product', 'Seatkey product', 'Plan', '']}>
                      {c.products.map((m) => (
                        <tr>
                          <th scope="row">
                            <code>{m.match}</code>
                          </th>
                          <td>{productName(products, m.productId)}</td>
                          <td>{m.variant ?? '—'}</td>
                          <td>
                            <button
                              type="button"
                              class="secondary small danger-text"
                              aria-label={`Remove ${m.match}`}
                              onClick={async () => {
                                await api('updatePaymentConnection', { id: c.id, products: c.products.filter((x) => x.match !== m.match) });
                                data.reload();
                              }}
                            >
                              Remove
                            </button>
                          </td>
                        </tr>
                      ))}
                    </Table>
                  )}
                  <div class="row">
                    <button type="button" class="secondary small" aria-label={`Map product for ${c.name}`} onClick={() => setMapping(c)} disabled={products.length === 0}>
                      Map product
                    </button>
                    <button type="button" class="secondary small danger-text" aria-label={`Disconnect ${c.name}`} onClick={() => setRemoving(c)}>
                      Disconnect
                    </button>
                  </div>
                </div>
              ))
            )}
            {connecting && (
              <ConnectForm
                products={products}
                onClose={() => setConnecting(false)}
                onDone={(connection, url) => {
                  setConnecting(false);
                  setCreated({ connection, url });
                  data.reload();
                }}
              />
            )}
            {mapping && (
              <MapForm
                connection={mapping}
                products={products}
                onClose={() => setMapping(undefined)}
                onDone={() => {
                  setMapping(undefined);
                  data.reload();
                }}
              />
            )}
          </>
        )}
      </Async>
      {removing && (
        <Confirm
          title={`Disconnect ${removing.name}`}
          confirmLabel="Disconnect"
          message="Its webhook URL stops working at once (404) and its secret is deleted. Licences already issued stay as they are."
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            await api('deletePaymentConnection', { id: removing.id });
            setRemoving(undefined);
            data.reload();
          }}
        />
      )}
    </section>
  );
}
