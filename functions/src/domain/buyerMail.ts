// The buyer's email: the licence key and how to activate it, as plain text and HTML. Pure.
import type { LicenseRecord } from './license.js';

/** A product's mail settings (all optional). */
export interface MailTemplate {
  name: string;
  /** `{product}` is replaced with the product's name. */
  emailSubject?: string | null;
  emailInstructions?: string | null;
}

export interface BuyerMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const longDate = (d: Date): string =>
  d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function seatsLine(l: MailedLicense): string {
  if (l.licenseType === 'site') return 'It is a site licence: use it on as many machines as you need.';
  if (l.licenseType === 'floating') return `It is a floating licence: up to ${l.maxConcurrent ?? 1} machines can use it at the same time.`;
  if (l.maxMachines < 0) return 'You can activate it on as many machines as you need.';
  return l.maxMachines === 1 ? 'It activates on one machine at a time.' : `It activates on up to ${l.maxMachines} machines.`;
}

function termLine(l: MailedLicense): string {
  if (l.expiresAt === null) return 'It does not expire.';
  return l.trial ? `This is a trial licence; it ends on ${longDate(l.expiresAt)}.` : `It is valid until ${longDate(l.expiresAt)}.`;
}

/** What the email says about a licence. */
export type MailedLicense = Pick<LicenseRecord, 'licenseKey' | 'licenseType' | 'maxMachines' | 'maxConcurrent' | 'expiresAt' | 'trial'>;

/**
 * Why the buyer gets the email: a new licence (`issued`), its key replaced by regenerateLicense
 * (`regenerated`), its expiry coming up (`reminder`), or the buyer asking for it again in the
 * portal (`resent`: the same words as `issued`).
 */
export type MailKind = 'issued' | 'regenerated' | 'reminder' | 'resent';

export function composeBuyerMail(license: MailedLicense, product: MailTemplate, kind: MailKind = 'issued'): BuyerMail {
  const name = product.name;
  const howTo =
    product.emailInstructions ??
    `To activate, open ${name}, choose "Activate licence" (or "Enter licence key") and paste the key above. ` +
      'To move to another machine, deactivate it on the old one first.';
  if (kind === 'reminder' && license.expiresAt) {
    const when = longDate(license.expiresAt);
    return rendered(`Your ${name} licence expires on ${when}`, [
      `Your licence for ${name} expires on ${when}:`,
      license.licenseKey,
      license.trial ? 'Your trial ends then. Buy a licence to keep using it.' : 'Renew it before then to keep using it without interruption.',
    ]);
  }
  if (kind === 'regenerated') {
    return rendered(`Your new licence key for ${name}`, [
      `Your licence key for ${name} has been replaced. Your new key is:`,
      license.licenseKey,
      `The old key no longer works. ${howTo}`,
      `${seatsLine(license)} ${termLine(license)}`,
      'Keep this email: you will need the key to reinstall.',
    ]);
  }
  const subject = (product.emailSubject ?? 'Your licence key for {product}').replaceAll('{product}', name);
  return rendered(subject, [
    `Thank you for choosing ${name}. Your licence key is:`,
    license.licenseKey,
    howTo,
    `${seatsLine(license)} ${termLine(license)}`,
    'Keep this email: you will need the key to reinstall.',
  ]);
}

/**
 * The portal's sign-in email: the one-time link, and what to do when it was not asked for. The
 * link is the second paragraph, set as a link in the HTML.
 */
export function composePortalLinkMail(link: string): BuyerMail {
  const paragraphs = [
    'Open this link to sign in to your licence portal, where you can see your licence keys and free the machines you no longer use:',
    link,
    'The link works once, in the browser you asked for it from. If you did not ask to sign in, ignore this email: nobody can sign in without the link.',
  ];
  const html = paragraphs.map((p, i) => (i === 1 ? `<p><a href="${escapeHtml(p)}">Sign in to your licence portal</a></p>` : `<p>${escapeHtml(p)}</p>`)).join('\n');
  return { subject: 'Your sign-in link', text: `${paragraphs.join('\n\n')}\n`, html };
}

/** Plain text and HTML from the same paragraphs; the second is the key, set large. */
function rendered(subject: string, paragraphs: string[]): BuyerMail {
  const text = `${paragraphs.join('\n\n')}\n`;
  const html = paragraphs
    .map((p, i) => (i === 1 ? `<p style="font-size:20px"><code>${escapeHtml(p)}</code></p>` : `<p>${escapeHtml(p)}</p>`))
    .join('\n');
  return { subject, text, html };
}
