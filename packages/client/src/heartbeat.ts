// The heartbeat loop for floating licences: a beat as soon as it starts, then one per interval
// the server asks for (nextHeartbeatSeconds), a little early and jittered so a fleet of machines
// started together does not beat in step; on a failure, retries backing off from a few seconds
// up to the interval; on a definitive refusal, stops.
import { SeatkeyError } from './errors.js';
import type { HeartbeatResult } from './results.js';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HeartbeatHandlers {
  /** After each successful heartbeat. */
  onBeat?(result: HeartbeatResult): void;
  /** After a failed heartbeat that will be retried in `retryInMs`. */
  onError?(error: SeatkeyError, retryInMs: number): void;
  /** When the loop stops itself: the server refused the licence for good. */
  onStopped?(error: SeatkeyError): void;
}

export interface LoopOptions {
  timers: Timers;
  /** In [0, 1), like Math.random. */
  random: () => number;
  /** The interval the server last named. */
  intervalMs: () => number;
}

/** Beats are sent between 80 % and 100 % of the interval: early enough for a lease that is exactly as long. */
const JITTER = 0.2;
const FIRST_RETRY_MS = 5_000;

export class HeartbeatLoop {
  private timer: unknown;
  private running = false;
  private failures = 0;
  private handlers: HeartbeatHandlers = {};

  constructor(
    private readonly beat: () => Promise<HeartbeatResult>,
    private readonly options: LoopOptions,
  ) {}

  get active(): boolean {
    return this.running;
  }

  /** Starts the loop, or, if it runs, only swaps the handlers. */
  start(handlers: HeartbeatHandlers): void {
    this.handlers = handlers;
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.options.timers.clearTimeout(this.timer);
  }

  /** Stops the loop because the licence was refused, and says so (once). */
  halt(error: SeatkeyError): void {
    if (!this.running) return;
    this.stop();
    this.handlers.onStopped?.(error);
  }

  private schedule(ms: number): void {
    this.timer = this.options.timers.setTimeout(() => void this.run(), ms);
  }

  private async run(): Promise<void> {
    const { random, intervalMs } = this.options;
    let result: HeartbeatResult;
    try {
      result = await this.beat();
    } catch (error) {
      // Anything but a SeatkeyError is a bug: let it surface rather than retry it forever.
      if (!(error instanceof SeatkeyError)) throw error;
      if (error.definitive) return this.halt(error);
      if (!this.running) return;
      this.failures++;
      const backoff = Math.min(intervalMs(), FIRST_RETRY_MS * 2 ** (this.failures - 1)) * (0.5 + random() / 2);
      const delay = Math.max(backoff, error.retryAfterMs ?? 0);
      this.schedule(delay);
      this.handlers.onError?.(error, delay);
      return;
    }
    if (!this.running) return;
    this.failures = 0;
    this.schedule(intervalMs() * (1 - JITTER * random()));
    this.handlers.onBeat?.(result);
  }
}
