// The fields the client endpoints share.
import { z } from 'zod';

/** Whatever identifies the machine to the app; opaque here, and stored only as its hash. */
export const machineFingerprint = () =>
  z.string().max(1024).refine((s) => s.trim().length > 0, 'must not be empty');

/** A name for the machine; long names are cut (cleanHostname), not refused. */
export const hostname = () => z.string().max(4096).nullable().optional();

export const sessionToken = () => z.string().min(1).max(4096);
