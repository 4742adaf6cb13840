// createProduct: the slug is the product's id, unique across Seatkey (409 when taken).
import { z } from 'zod';
import { conflict } from '../domain/errors.js';
import { DEFAULT_REMINDER_DAYS } from '../domain/license.js';
import { PRODUCT_DEFAULTS } from '../domain/product.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, durationOf, ONE_DURATION, oneDuration, slug } from '../http/fields.js';
import { presentProduct } from '../http/present.js';
import { ensureCreator } from '../store/creators.js';
import { insertProduct, type Product } from '../store/products.js';
import { productSettingsSchema } from './productFields.js';
import { productReply } from '../http/replies.js';

export default adminEndpoint({
  example: { request: { name: 'Photo App', slug: 'photo-app', maxMachines: 3, durationDays: 365 } },
  response: z.looseObject({ productId: z.string(), status: z.string(), product: productReply }),
  schema: productSettingsSchema
    .partial()
    .extend({ name: productSettingsSchema.shape.name, slug: slug(), creatorId: creatorId().optional() })
    .refine(oneDuration, ONE_DURATION),
  handle: async (input, { caller, now }) => {
    const product: Product = {
      productId: input.slug,
      slug: input.slug,
      name: input.name,
      status: input.status ?? PRODUCT_DEFAULTS.status,
      creatorId: actingCreator(caller, input.creatorId, true),
      licenseType: input.licenseType ?? PRODUCT_DEFAULTS.licenseType,
      maxMachines: input.maxMachines ?? PRODUCT_DEFAULTS.maxMachines,
      maxConcurrent: input.maxConcurrent ?? PRODUCT_DEFAULTS.maxConcurrent,
      heartbeatIntervalSeconds: input.heartbeatIntervalSeconds ?? PRODUCT_DEFAULTS.heartbeatIntervalSeconds,
      tokenTtlDays: input.tokenTtlDays ?? PRODUCT_DEFAULTS.tokenTtlDays,
      graceDays: input.graceDays ?? null,
      reminderDays: input.reminderDays ?? DEFAULT_REMINDER_DAYS,
      duration: durationOf(input) ?? null,
      emailSubject: input.emailSubject ?? null,
      emailFromName: input.emailFromName ?? null,
      emailReplyTo: input.emailReplyTo ?? null,
      emailInstructions: input.emailInstructions ?? null,
      violationThresholds: input.violationThresholds ?? null,
      requirePublishableKey: input.requirePublishableKey ?? false,
      portalEnabled: input.portalEnabled ?? false,
      supportEmail: input.supportEmail ?? null,
      createdAt: now,
      updatedAt: now,
    };
    // A creator's key implies its creator exists; the super admin may name a new one.
    if (caller.kind === 'super') await ensureCreator(product.creatorId, now);
    if (!(await insertProduct(product))) throw conflict(`Product slug "${product.slug}" is taken`);
    return { productId: product.productId, status: product.status, product: presentProduct(product) };
  },
});
