// The scheduled sweep: events a request recorded but could not hand to the webhook queue (it
// crashed, or the queue was unreachable), and events recorded outside any request scope.
import { sweepOutbox } from '../webhooks/dispatch.js';

export const run = (now: Date): Promise<number> => sweepOutbox(now);
