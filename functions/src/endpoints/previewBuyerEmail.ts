// previewBuyerEmail: the email a buyer of this product would get, composed exactly as a real one
// (domain/buyerMail.ts) for an example licence on the product's defaults. `emailSubject` and
// `emailInstructions` preview unsaved text (null previews the default); nothing is written.
import { z } from 'zod';
import { composeBuyerMail } from '../domain/buyerMail.js';
import { addDuration } from '../domain/duration.js';
import { generateLicenseKey } from '../domain/licenseKey.js';
import { adminEndpoint } from '../http/endpoint.js';
import { slug } from '../http/fields.js';
import { getCreator } from '../store/creators.js';
import { productSettingsSchema } from './productFields.js';
import { visibleProduct } from '../licensing/lookup.js';
import { mailReply } from '../http/replies.js';

const { emailSubject, emailInstructions } = productSettingsSchema.shape;

export default adminEndpoint({
  response: z.looseObject({ email: z.looseObject(mailReply) }),
  example: {
    request: { productId: 'photo-app' },
    response: {
      success: true,
      email: {
        subject: 'Your licence key for Photo App',
        text: 'Thank you for choosing Photo App. Your licence key is:\n\nACME-7K2M-9QXP-4TRB-W8\n',
        html: '<p>Thank you for choosing Photo App. Your licence key is:</p>\n<p style="font-size:20px"><code>ACME-7K2M-9QXP-4TRB-W8</code></p>',
      },
    },
  },
  schema: z.object({ productId: slug(), emailSubject: emailSubject.optional(), emailInstructions: emailInstructions.optional() }),
  handle: async (input, { caller, now }) => {
    const product = await visibleProduct(caller, input.productId);
    const creator = await getCreator(product.creatorId);
    const example = {
      licenseKey: generateLicenseKey(creator?.keyPrefix ?? 'SK'),
      licenseType: product.licenseType,
      maxMachines: product.maxMachines,
      maxConcurrent: product.maxConcurrent,
      expiresAt: product.duration ? addDuration(now, product.duration) : null,
      trial: false,
    };
    const template = {
      name: product.name,
      emailSubject: input.emailSubject === undefined ? product.emailSubject : input.emailSubject,
      emailInstructions: input.emailInstructions === undefined ? product.emailInstructions : input.emailInstructions,
    };
    return { email: composeBuyerMail(example, template) };
  },
});
