// Spotting a clock turned back. Offline, this machine's clock is the only clock there is, so a
// user could set it back to stretch the offline grace or a token's life. Two marks catch that:
// the latest time this clock has been seen at, and the server's time at its last reply (with
// the offset between the two clocks then, so a clock that is merely slow is not accused).
import type { ClockMarks } from './state.js';

/** Marks after a reply from the server stamped `serverTime` (ms), received at local `now`. */
export function afterReply(serverTime: number, now: number): ClockMarks {
  return { serverTime, localAtServerTime: now, lastSeenAt: now };
}

/**
 * How far this clock is behind the server's (ms), or 0 when it is ahead: added to local time
 * before comparing it with the server's times (a token's `exp`), so a slow clock never
 * lengthens a token's life, and a fast one only shortens it.
 */
export const lag = (marks: ClockMarks | null): number => (marks ? Math.max(0, marks.serverTime - marks.localAtServerTime) : 0);

/**
 * Whether local `now` lies behind what this machine has already seen by more than
 * `toleranceMs`: behind the latest local time seen, or (allowing for the known lag) behind the
 * server's last time or the token's issue time `iatMs`.
 */
export function rolledBack(marks: ClockMarks | null, now: number, iatMs: number, toleranceMs: number): boolean {
  const serverSeen = Math.max(iatMs, marks?.serverTime ?? 0);
  return now + toleranceMs < (marks?.lastSeenAt ?? 0) || now + lag(marks) + toleranceMs < serverSeen;
}
