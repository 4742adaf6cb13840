// portalRequestLink: a buyer asks for a sign-in link to the portal. Limited per address and per
// client IP; the reply is the same whether or not the address has licences in the portal, and a
// link is made and emailed (through the outbox) only when it has some. The page completes the
// sign-in with Firebase's signInWithEmailLink; the ID token that gives carries the verified email.
import * as logger from 'firebase-functions/logger';
import { z } from 'zod';
import { inEmulator, PORTAL_URL } from '../config.js';
import { composePortalLinkMail } from '../domain/buyerMail.js';
import { openEndpoint, type RequestContext } from '../http/endpoint.js';
import { email } from '../http/fields.js';
import { emailSignInLink } from '../http/idToken.js';
import { projectId } from '../store/firestore.js';
import { queuePortalLinkMail } from '../store/mail.js';
import { buyerLicenses } from '../store/portal.js';

const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;

/**
 * Where the link leads: PORTAL_URL, else the project's Hosting site. In the emulator a request
 * from a local page leads back to that page's origin (the Hosting emulator's port varies); a
 * deployed function never takes the address from the request, so nobody can have a buyer's link
 * lead to a site of their own.
 */
function portalUrl(ctx: RequestContext): string {
  const configured = PORTAL_URL.value().trim();
  if (configured) return configured;
  const origin = ctx.header('origin');
  if (inEmulator() && origin !== undefined && LOOPBACK_ORIGIN.test(origin)) return `${origin}/portal`;
  return `https://${projectId()}.web.app/portal`;
}

export default openEndpoint({
  schema: z.object({ email: email() }),
  response: z.looseObject({ message: z.string() }),
  handle: async (input, ctx) => {
    await ctx.limit('portalLinkIp', ctx.ip);
    await ctx.limit('portalLinkEmail', input.email);
    const owned = await buyerLicenses(input.email);
    if (owned.length > 0) {
      const link = await emailSignInLink(input.email, portalUrl(ctx));
      await queuePortalLinkMail(input.email, composePortalLinkMail(link), ctx.now);
      // Locally nothing sends mail: the link is in the log (docs/portal.md). Never deployed.
      if (inEmulator()) logger.info(`Portal sign-in link for ${input.email}: ${link}`);
    }
    return { message: 'If this address has licences in the portal, a sign-in link is on its way. Check your email.' };
  },
});
