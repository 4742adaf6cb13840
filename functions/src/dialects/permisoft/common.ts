// Permisoft's vocabulary, shared by its routes: its publisher API keys and its error body.
import type { DialectReply } from '../../http/endpoint.js';
import type { ErrorReply } from '../../http/errors.js';
import { bearerOf, inTheirWords } from '../shared.js';

/**
 * The Seatkey API key behind Permisoft's `Authorization: Bearer ps_live_…` (or `ps_test_…`): a
 * creator moving over keeps the prefix its code expects and swaps the rest for a Seatkey key's, so
 * `ps_live_<rest>` is the live key `sk_live_<rest>` and `ps_test_<rest>` the test key `sk_test_<rest>`.
 * A Seatkey key sent as it is works too.
 */
export function publisherApiKey(header: (name: string) => string | undefined): string | undefined {
  const given = bearerOf(header) ?? header('x-api-key');
  return given?.replace(/^ps_(live|test)_/, 'sk_$1_');
}

/**
 * A refusal as Permisoft's clients read one: `valid: false` and a `reason` (its validate's
 * documented field), with the message in the request's own field names. The status is the core's.
 */
export function permisoftRefusal(reply: ErrorReply, names: Readonly<Record<string, string>>): DialectReply {
  return { status: reply.status, body: { valid: false, reason: reply.code, message: inTheirWords(String(reply.body.error), names) } };
}
