// A daily upstream quota (Dukcapil's): once the upstream says it is used up, the hub stops
// calling until it resets at midnight WIB, and says so instead of spending calls on refusals.
import { UpstreamError } from './sdk.js';

const wibOffsetMs = 7 * 3_600_000;

/** The next midnight in Western Indonesian Time (UTC+7) after `now`. */
export function nextMidnightWib(now: Date): Date {
  const wib = new Date(now.getTime() + wibOffsetMs);
  return new Date(Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate() + 1) - wibOffsetMs);
}

export class QuotaGate {
  private exhaustedUntil: Date | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Throws while the quota is exhausted. */
  check(): void {
    if (this.exhaustedUntil && this.now() < this.exhaustedUntil) {
      throw new UpstreamError('upstream-quota-exhausted', `the daily quota is used up; it resets at ${this.exhaustedUntil.toISOString()}`, { retryAt: this.exhaustedUntil });
    }
  }

  exhaust(until: Date = nextMidnightWib(this.now())): void {
    this.exhaustedUntil = until;
  }

  /** Calls may go out again (the upstream raised the quota, or an operator knows better). */
  reopen(): void {
    this.exhaustedUntil = undefined;
  }

  state(): { status: 'available' | 'exhausted'; resetsAt: string | null } {
    const exhausted = this.exhaustedUntil !== undefined && this.now() < this.exhaustedUntil;
    return { status: exhausted ? 'exhausted' : 'available', resetsAt: exhausted ? this.exhaustedUntil!.toISOString() : null };
  }
}
