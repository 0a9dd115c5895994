// A daily upstream quota (Dukcapil's): once the upstream says it is used up, the hub stops
// calling until it resets at midnight WIB, and says so instead of spending calls on refusals.
// Several instances share one gate per upstream (connectors/shared-quotas.ts): what one learns,
// `observe` hands on, and `adopt` takes in without handing it on again.
import { nextMidnightWib } from '../domain/wib.js';

export class QuotaGate {
  private exhaustedUntil: Date | undefined;
  private observer: ((until: Date | undefined) => void) | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** When calls may go out again, while the quota is exhausted; undefined otherwise. */
  blockedUntil(): Date | undefined {
    return this.exhaustedUntil && this.now() < this.exhaustedUntil ? this.exhaustedUntil : undefined;
  }

  exhaust(until: Date = nextMidnightWib(this.now())): void {
    this.exhaustedUntil = until;
    this.observer?.(until);
  }

  /** Calls may go out again (the upstream raised the quota, or an operator knows better). */
  reopen(): void {
    this.exhaustedUntil = undefined;
    this.observer?.(undefined);
  }

  /** Told of every local exhaust and reopen (undefined: reopened). */
  observe(observer: (until: Date | undefined) => void): void {
    this.observer = observer;
  }

  /** Takes the state another instance found, without telling the observer. */
  adopt(until: Date | undefined): void {
    this.exhaustedUntil = until;
  }

  state(): { status: 'available' | 'exhausted'; resetsAt: string | null } {
    const until = this.blockedUntil();
    return { status: until ? 'exhausted' : 'available', resetsAt: until ? until.toISOString() : null };
  }
}
