// Trial and discount codes: create, edit, disable, delete; uses shown as used/max.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { dateText, money, usesText } from '../format';
import { Async, Confirm, Empty, ErrorNote, Field, FormDialog, PageHead, Table, useAction, useLoad } from '../ui';
import { listAllProducts, type Product } from './Products';

interface Code {
  code: string;
  type: 'trial' | 'percent' | 'fixed';
  productId: string | null;
  trialDays: number | null;
  percentOff: number | null;
  amountOffCents: number | null;
  currency?: string | null;
  maxUses: number;
  usedCount: number;
  active: boolean;
  expiresAt: string | null;
}

const valueText = (c: Code) =>
  c.type === 'trial' ? `${c.trialDays ?? 14}-day trial` : c.type === 'percent' ? `${c.percentOff}% off` : `${money(c.amountOffCents ?? 0, c.currency ?? null)} off`;

function CodeForm({ code, products, onClose, onDone }: { code?: Code; products: Product[]; onClose: () => void; onDone: () => void }) {
  const [type, setType] = useState<Code['type']>(code?.type ?? 'trial');
  return (
    <FormDialog
      title={code ? `Edit code ${code.code}` : 'Create code'}
      submitLabel={code ? 'Save changes' : 'Create code'}
      onClose={onClose}
      onSubmit={async (form) => {
        const num = (k: string) => (String(form.get(k) ?? '').trim() === '' ? undefined : Number(form.get(k)));
        const maxUses = num('maxUses');
        const expires = String(form.get('expiresAt') ?? '');
        const fields = {
          ...(type === 'trial' ? { trialDays: num('trialDays') } : {}),
          ...(type === 'percent' ? { percentOff: num('percentOff') } : {}),
          ...(type === 'fixed' ? { amountOffCents: Math.round((num('amountOff') ?? 0) * 100) } : {}),
          maxUses: maxUses ?? -1,
          expiresAt: expires ? `${expires}T23:59:59Z` : null,
        };
        if (code) await api('updateDiscountCode', { code: code.code, ...fields });
        else {
          const productId = String(form.get('productId') ?? '');
          await api('createDiscountCode', { code: String(form.get('code')), type, ...(productId ? { productId } : {}), ...fields });
        }
        onDone();
      }}
    >
      {!code && (
        <>
          <Field label="Code" hint="Letters, digits, - and _; buyers type it in any case.">
            <input name="code" required maxLength={64} autocomplete="off" />
          </Field>
          <Field label="Type">
            <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value as Code['type'])}>
              <option value="trial">Trial</option>
              <option value="percent">Percent off</option>
              <option value="fixed">Amount off</option>
            </select>
          </Field>
          <Field label="Applies to">
            <select name="productId">
              <option value="">All products</option>
              {products.map((p) => (
                <option value={p.productId}>{p.name}</option>
              ))}
            </select>
          </Field>
        </>
      )}
      {type === 'trial' && (
        <Field label="Trial days">
          <input name="trialDays" type="number" min={1} max={3650} value={code?.trialDays ?? 14} />
        </Field>
      )}
      {type === 'percent' && (
        <Field label="Percent off">
          <input name="percentOff" type="number" min={1} max={100} required value={code?.percentOff ?? 20} />
        </Field>
      )}
      {type === 'fixed' && (
        <Field label="Amount off">
          <input name="amountOff" type="number" min={0.01} step={0.01} required value={code?.amountOffCents ? code.amountOffCents / 100 : ''} />
        </Field>
      )}
      <Field label="Maximum uses" hint="Leave empty for unlimited.">
        <input name="maxUses" type="number" min={1} value={code && code.maxUses > 0 ? code.maxUses : ''} />
      </Field>
      <Field label="Valid until" hint="Optional.">
        <input name="expiresAt" type="date" value={code?.expiresAt?.slice(0, 10) ?? ''} />
      </Field>
    </FormDialog>
  );
}

export function Codes() {
  const codes = useLoad(async () => (await api<{ codes: Code[] }>('listDiscountCodes')).codes, []);
  const products = useLoad(listAllProducts, []);
  const [editing, setEditing] = useState<Code | 'new' | undefined>(undefined);
  const [deleting, setDeleting] = useState<Code | undefined>(undefined);
  const action = useAction();
  const toggle = (c: Code) => action.run(async () => (await api('updateDiscountCode', { code: c.code, active: !c.active }), codes.reload()));
  return (
    <section>
      <PageHead title="Codes">
        <button type="button" onClick={() => setEditing('new')}>
          Create code
        </button>
      </PageHead>
      {action.error !== undefined && <ErrorNote error={action.error} />}
      <Async loaded={codes} label="Loading codes…">
        {(list) =>
          list.length === 0 ? (
            <Empty>No codes yet. Trial codes give a time-limited licence; discount codes take money off a purchase.</Empty>
          ) : (
            <Table caption="Codes" columns={["Code", "Gives", "Product", "Uses", "Status", "Valid until", ""]}>
                  {list.map((c) => (
                    <tr>
                      <th scope="row">
                        <code>{c.code}</code>
                      </th>
                      <td>{valueText(c)}</td>
                      <td>{c.productId ?? 'All products'}</td>
                      <td>{usesText(c.usedCount, c.maxUses)}</td>
                      <td>
                        <span class={`badge ${c.active ? 'active' : 'suspended'}`}>{c.active ? 'Active' : 'Disabled'}</span>
                      </td>
                      <td>{c.expiresAt ? dateText(c.expiresAt) : '—'}</td>
                      <td class="row">
                        <button type="button" class="secondary small" aria-label={`Edit ${c.code}`} onClick={() => setEditing(c)}>
                          Edit
                        </button>
                        <button type="button" class="secondary small" aria-label={`${c.active ? 'Disable' : 'Enable'} ${c.code}`} onClick={() => void toggle(c)}>
                          {c.active ? 'Disable' : 'Enable'}
                        </button>
                        <button type="button" class="secondary small danger-text" aria-label={`Delete ${c.code}`} onClick={() => setDeleting(c)}>
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </Table>
          )
        }
      </Async>
      {editing && (
        <CodeForm
          code={editing === 'new' ? undefined : editing}
          products={products.data ?? []}
          onClose={() => setEditing(undefined)}
          onDone={() => {
            setEditing(undefined);
            codes.reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title="Delete code"
          confirmLabel="Delete code"
          message={`${deleting.code} stops working at once. Licences already issued with it are not affected.`}
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api('deleteDiscountCode', { code: deleting.code });
            setDeleting(undefined);
            codes.reload();
          }}
        />
      )}
    </section>
  );
}
