// listOutbox: the buyer emails queued for the caller's creator (the `mail` documents the Trigger
// Email extension sends), newest first, with the extension's delivery state once it has tried.
// Locally, where nothing sends them, this is the inbox: `npm start` and the console's Outbox
// page read it.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { actingCreator, assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, int, licenseKey } from '../http/fields.js';
import { getLicenseRecord } from '../store/licenses.js';
import { listMail, type MailEntry } from '../store/mail.js';

const present = (m: MailEntry) => ({
  licenseKey: m.licenseKey,
  productId: m.productId,
  to: m.to,
  ...(m.from ? { from: m.from } : {}),
  ...(m.replyTo ? { replyTo: m.replyTo } : {}),
  subject: m.message.subject,
  text: m.message.text,
  html: m.message.html,
  createdAt: m.createdAt.toISOString(),
  delivery: m.delivery && { state: m.delivery.state, error: m.delivery.error, endTime: m.delivery.endTime?.toISOString() ?? null },
});

export default adminEndpoint({
  get: true,
  schema: z.object({
    licenseKey: licenseKey().optional(),
    creatorId: creatorId().optional(),
    limit: int(1, 200).optional(),
  }),
  handle: async (input, { caller }) => {
    if (input.licenseKey !== undefined) {
      // A licence named must be the caller's, as everywhere: 404 otherwise.
      const license = await getLicenseRecord(input.licenseKey);
      if (!license) throw notFound('Licence');
      assertVisible(caller, license.creatorId, 'Licence');
    }
    const emails = await listMail({ creatorId: actingCreator(caller, input.creatorId), licenseKey: input.licenseKey, limit: input.limit ?? 50 });
    return { emails: emails.map(present) };
  },
});
