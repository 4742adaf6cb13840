// The discount-code endpoints share these fields and handlers. `onlyType` narrows a call to codes
// of one type (any other code is not found through it): the CG dialect's trial-code routes
// (dialects/cg/) make, see and change only trial codes.
import type { AdminContext, Reply } from '../http/endpoint.js';
import { codeTerms, type CodeRecord, type CodeType } from '../domain/code.js';
import { conflict, invalidRequest, notFound } from '../domain/errors.js';
import { actingCreator, type Caller } from '../domain/scope.js';
import { bool, creatorId, identifier, int, isoDate, slug } from '../http/fields.js';
import { presentCode } from '../http/present.js';
import { deleteCode, insertCode, listCodes, patchCode } from '../store/codes.js';
import { visibleProduct } from '../licensing/lookup.js';

/** The fields every code endpoint takes (besides the code's type and amounts). */
export const codeFields = {
  code: identifier(64),
  /** null: any of the creator's products. */
  productId: slug().nullable().optional(),
  trialDays: int(1, 3650).optional(),
  maxUses: int(-1, 1_000_000_000)
    .refine((n) => n !== 0, 'must be -1 (unlimited) or at least 1')
    .optional(),
  expiresAt: isoDate().nullable().optional(),
  active: bool().optional(),
  /** The super admin names the creator whose codes it works on (or a product of theirs). */
  creatorId: creatorId().optional(),
};

/** Discount codes' own amounts. */
export const amountFields = {
  percentOff: int(1, 100).optional(),
  amountOffCents: int(1, 100_000_000).optional(),
};

export interface CodeInput {
  code: string;
  type?: CodeType | undefined;
  productId?: string | null | undefined;
  trialDays?: number | undefined;
  percentOff?: number | undefined;
  amountOffCents?: number | undefined;
  maxUses?: number | undefined;
  expiresAt?: Date | null | undefined;
  active?: boolean | undefined;
  creatorId?: string | undefined;
}

/**
 * The creator whose codes a call works on: the caller's own; for the super admin the `creatorId`
 * it names, else the creator of the product it names. A product outside that scope is a 404.
 */
export async function codeOwner(caller: Caller, requested: string | undefined, productId: string | null | undefined): Promise<string> {
  const acting = actingCreator(caller, requested);
  if (productId) return (await visibleProduct(caller, productId, acting)).creatorId;
  if (acting === undefined) throw invalidRequest('Invalid request: creatorId is required with adminSecret');
  return acting;
}

export async function createCode(input: CodeInput, { caller, now }: AdminContext, onlyType?: CodeType): Promise<Reply> {
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw invalidRequest('Invalid request: expiresAt must be in the future');
  const creator = await codeOwner(caller, input.creatorId, input.productId);
  const code: CodeRecord = {
    code: input.code,
    creatorId: creator,
    productId: input.productId ?? null,
    ...codeTerms({ ...input, type: onlyType ?? input.type ?? 'trial' }),
    maxUses: input.maxUses ?? -1,
    usedCount: 0,
    active: input.active ?? true,
    expiresAt: input.expiresAt ?? null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertCode(code))) throw conflict(`Code ${input.code} already exists`);
  return { code: presentCode(code) };
}

export async function listCodesOf(input: { productId?: string | undefined; creatorId?: string | undefined }, caller: Caller, onlyType?: CodeType): Promise<Reply> {
  let creator = actingCreator(caller, input.creatorId);
  if (input.productId !== undefined) creator = await codeOwner(caller, input.creatorId, input.productId);
  const codes = (await listCodes(creator)).filter(
    (c) => (onlyType === undefined || c.type === onlyType) && (input.productId === undefined || c.productId === null || c.productId === input.productId),
  );
  return { codes: codes.map(presentCode) };
}

export async function updateCode(input: CodeInput, { caller, now }: AdminContext, onlyType?: CodeType): Promise<Reply> {
  const { code: name, creatorId: _c, ...fields } = input;
  if (Object.values(fields).every((v) => v === undefined)) throw invalidRequest('Invalid request: give at least one field to update');
  const creator = await codeOwner(caller, input.creatorId, input.productId);
  const updated = await patchCode(creator, name, (current) => {
    if (onlyType !== undefined && current.type !== onlyType) return undefined;
    const type = input.type ?? current.type;
    // Amounts carry over only within a type: changing the type asks for the new type's amount.
    const kept = type === current.type ? current : undefined;
    return {
      ...current,
      ...codeTerms({
        type,
        trialDays: input.trialDays ?? kept?.trialDays,
        percentOff: input.percentOff ?? kept?.percentOff,
        amountOffCents: input.amountOffCents ?? kept?.amountOffCents,
      }),
      productId: input.productId !== undefined ? input.productId : current.productId,
      maxUses: input.maxUses ?? current.maxUses,
      active: input.active ?? current.active,
      expiresAt: input.expiresAt !== undefined ? input.expiresAt : current.expiresAt,
      updatedAt: now,
    };
  });
  if (!updated) throw notFound('Code');
  return { code: presentCode(updated) };
}

export async function removeCode(input: { code: string; creatorId?: string | undefined }, caller: Caller, onlyType?: CodeType): Promise<Reply> {
  const creator = await codeOwner(caller, input.creatorId, undefined);
  if (!(await deleteCode(creator, input.code, (c) => onlyType === undefined || c.type === onlyType))) throw notFound('Code');
  return {};
}
