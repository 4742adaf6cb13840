// Discount and trial codes: what a code grants, and whether it can be redeemed now.
import { invalidRequest } from './errors.js';
import { UNLIMITED } from './product.js';

export const CODE_TYPES = ['trial', 'percent', 'fixed'] as const;
export type CodeType = (typeof CODE_TYPES)[number];

export const DEFAULT_TRIAL_DAYS = 14;

/** discountCodes/{hash of creatorId and the upper-cased code} */
export interface CodeRecord {
  /** As the creator wrote it; matched without regard to case. */
  code: string;
  creatorId: string;
  /** null: any of the creator's products. */
  productId: string | null;
  type: CodeType;
  /** Trial codes only. */
  trialDays: number | null;
  /** Percent codes only. */
  percentOff: number | null;
  /** Fixed codes only. */
  amountOffCents: number | null;
  /** -1: unlimited. */
  maxUses: number;
  /** Uses committed: trial licences issued and licences created with the code. */
  usedCount: number;
  active: boolean;
  /** null: never expires. */
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type CodeTerms = Pick<CodeRecord, 'type' | 'trialDays' | 'percentOff' | 'amountOffCents'>;

/** Codes are matched case-insensitively: `launch20` and `LAUNCH20` are one code. */
export const codeKey = (code: string): string => code.toUpperCase();

/**
 * The terms a code of its type keeps: its type's own amount (trial days default to 14), the
 * others null. The amounts of other types are ignored, as CG does; a missing one is a 400.
 */
export function codeTerms(input: { type: CodeType; trialDays?: number | null | undefined; percentOff?: number | null | undefined; amountOffCents?: number | null | undefined }): CodeTerms {
  const terms: CodeTerms = { type: input.type, trialDays: null, percentOff: null, amountOffCents: null };
  switch (input.type) {
    case 'trial':
      terms.trialDays = input.trialDays ?? DEFAULT_TRIAL_DAYS;
      break;
    case 'percent':
      if (input.percentOff == null) throw invalidRequest('percentOff is required for a percent code');
      terms.percentOff = input.percentOff;
      break;
    case 'fixed':
      if (input.amountOffCents == null) throw invalidRequest('amountOffCents is required for a fixed code');
      terms.amountOffCents = input.amountOffCents;
      break;
  }
  return terms;
}

/** Whether a code applies to a product: its own, or any of its creator's when it names none. */
export const appliesTo = (code: Pick<CodeRecord, 'productId'>, productId: string): boolean =>
  code.productId === null || code.productId === productId;

/**
 * The product a trial code is redeemed for, or a 400 saying why it cannot be: not a trial code,
 * inactive, expired, not for the product asked, or no product named for a code that needs one.
 */
export function trialProductOf(code: CodeRecord, requested: string | undefined, now: Date): string {
  if (code.type !== 'trial') throw invalidRequest(`Code ${code.code} is not a trial code`);
  if (!code.active) throw invalidRequest(`Code ${code.code} is not active`);
  if (code.expiresAt && code.expiresAt.getTime() <= now.getTime()) throw invalidRequest(`Code ${code.code} has expired`);
  if (code.productId === null) {
    if (requested === undefined) throw invalidRequest(`productId is required: code ${code.code} applies to any of its creator's products`);
    return requested;
  }
  if (requested !== undefined && requested !== code.productId) throw invalidRequest(`Code ${code.code} is not for product ${requested}`);
  return code.productId;
}

/** Whether the `taken`-th use (counting from 1) is beyond the code's limit. */
export const beyondLimit = (code: Pick<CodeRecord, 'maxUses'>, taken: number): boolean =>
  code.maxUses !== UNLIMITED && taken > code.maxUses;
