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
import { mailReply, time, when } from '../http/replies.js';

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
  response: z.looseObject({
    emails: z.array(
      z.looseObject({
        licenseKey: z.string(),
        productId: z.string(),
        to: z.array(z.string()).optional().meta({ description: "Absent on a sandbox licence's email, which is sent to nobody" }),
        from: z.string().optional(),
        replyTo: z.string().optional(),
        ...mailReply,
        createdAt: time(),
        delivery: z
          .looseObject({ state: z.string().nullable(), error: z.string().nullable(), endTime: when() })
          .nullable()
          .meta({ description: 'What the Trigger Email extension recorded; null until it has tried' }),
      }),
    ),
  }),
  example: {
    request: { limit: 1 },
    response: {
      success: true,
      emails: [
        {
          licenseKey: 'ACME-7K2M-9QXP-4TRB-W8',
          productId: 'photo-app',
          to: ['buyer@example.com'],
          subject: 'Your licence key for Photo App',
          text: 'Thank you for choosing Photo App. Your licence key is:\n\nACME-7K2M-9QXP-4TRB-W8\n',
          html: '<p>Thank you for choosing Photo App. Your licence key is:</p>',
          createdAt: '2026-11-30T09:00:00.000Z',
          delivery: null,
        },
      ],
    },
  },
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
