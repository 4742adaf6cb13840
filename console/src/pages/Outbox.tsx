// Outbox: the buyer emails Seatkey queued for this creator (listOutbox), newest first, with what
// the Trigger Email extension recorded when it tried to send each. Locally, where nothing sends
// email, this is the inbox: the email a buyer would get, key included.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { dateTimeText } from '../format';
import { onLinkClick } from '../router';
import { Async, Empty, PageHead, Table, useLoad } from '../ui';

interface Email {
  licenseKey: string;
  productId: string;
  to: string[];
  subject: string;
  text: string;
  createdAt: string;
  delivery: { state: string | null; error: string | null; endTime: string | null } | null;
}

function deliveryText(d: Email['delivery']): string {
  if (!d || !d.state) return 'Queued (not sent yet)';
  if (d.state === 'SUCCESS') return `Sent${d.endTime ? ` ${dateTimeText(d.endTime)}` : ''}`;
  if (d.state === 'ERROR') return `Failed: ${d.error ?? 'unknown error'}`;
  return d.state.charAt(0) + d.state.slice(1).toLowerCase();
}

export function Outbox() {
  const [open, setOpen] = useState<number | null>(null);
  const emails = useLoad(async () => (await api<{ emails: Email[] }>('listOutbox', { limit: 100 })).emails, []);
  return (
    <section>
      <PageHead title="Outbox" />
      <p class="muted">
        The buyer emails Seatkey queued: one per purchase through the payment webhook and per redeemed trial code (a licence you create by hand
        sends none). Deployed, the Trigger Email extension sends them and records the outcome here; locally nothing is sent, so this is the inbox.
      </p>
      <Async loaded={emails} label="Loading the outbox…">
        {(list) =>
          list.length === 0 ? (
            <Empty>No buyer emails yet. A purchase through the payment webhook queues one.</Empty>
          ) : (
            <Table caption="Buyer emails" columns={['To', 'Subject', 'License', 'Queued', 'Delivery', 'Email']}>
              {list.map((m, i) => {
                const shown = open === i;
                const to = m.to.join(', ');
                return (
                  <Fragment key={i}>
                    <tr>
                      <th scope="row">{to}</th>
                      <td>{m.subject}</td>
                      <td>
                        <a href={`/licenses/${encodeURIComponent(m.licenseKey)}`} onClick={onLinkClick}>
                          <code>{m.licenseKey}</code>
                        </a>
                      </td>
                      <td>{dateTimeText(m.createdAt)}</td>
                      <td>{deliveryText(m.delivery)}</td>
                      <td>
                        <button type="button" class="secondary" aria-expanded={shown} aria-controls={`email-${i}`} aria-label={`${shown ? 'Hide' : 'Show'} the email to ${to}`} onClick={() => setOpen(shown ? null : i)}>
                          {shown ? 'Hide' : 'Show'}
                        </button>
                      </td>
                    </tr>
                    {shown && (
                      // The text in a row of its own, the table's full width: in its cell it stretched the row at phone width.
                      <tr class="email-row">
                        <td colSpan={6}>
                          <pre id={`email-${i}`} class="email-text" aria-label={`The email to ${to}`}>
                            {m.text}
                          </pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </Table>
          )
        }
      </Async>
    </section>
  );
}
