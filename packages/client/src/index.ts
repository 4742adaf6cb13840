// @seatkey/client: the SDK that apps shipped with a Seatkey licence use.
export { SeatkeyClient, type ActivateOptions, type DeactivateOptions, type SeatkeyClientOptions } from './client.js';
export * from './errors.js';
export type { FetchLike } from './http.js';
export type { HeartbeatHandlers, Timers } from './heartbeat.js';
export { fetchPublicKeys } from './keys.js';
export {
  maskLicenseKey,
  type ActivationResult,
  type DeactivationResult,
  type HeartbeatResult,
  type InvalidLicense,
  type KeyStatus,
  type MachineActivation,
  type LicenseInfo,
  type LocalStatus,
  type ValidLicense,
  type ValidationResult,
} from './results.js';
export { defaultStoragePath, FileStorage, MemoryStorage, type SeatkeyStorage } from './storage.js';
export type { LicenseType, PublicJwk } from './token.js';
