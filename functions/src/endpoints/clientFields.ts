// The fields the client endpoints share.
import { z } from 'zod';
import { ACTIVATION_METADATA_MAX_BYTES, ACTIVATION_METADATA_MAX_KEYS } from '../domain/activation.js';
import { metadata } from '../http/fields.js';

/** Whatever identifies the machine to the app; opaque here, and stored only as its hash. */
export const machineFingerprint = () =>
  z.string().max(1024).refine((s) => s.trim().length > 0, 'must not be empty');

/** A name for the machine; long names are cut (cleanHostname), not refused. */
export const hostname = () => z.string().max(4096).nullable().optional();

export const sessionToken = () => z.string().min(1).max(4096);

/** An activation's id as activate returned it (`act_…`). */
export const activationId = () => z.string().trim().min(1).max(200);

/** What the app says about the machine (OS, app version, …): metadata, kept small. */
export const activationMetadata = () =>
  metadata()
    .refine((m) => Object.keys(m).length <= ACTIVATION_METADATA_MAX_KEYS, `at most ${ACTIVATION_METADATA_MAX_KEYS} keys`)
    .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= ACTIVATION_METADATA_MAX_BYTES, `at most ${ACTIVATION_METADATA_MAX_BYTES} bytes as JSON`);
