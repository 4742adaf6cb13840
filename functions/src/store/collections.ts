// Every top-level collection Seatkey uses. Nothing outside store/ names a collection.
export const COLLECTIONS = {
  creators: 'creators',
  apiKeys: 'apiKeys',
  products: 'products',
  rateLimits: 'rateLimits',
} as const;

/** Sub-collections, under the document named in the comment. */
export const SUB = {
  /** products/{productId}/variants */
  variants: 'variants',
} as const;
