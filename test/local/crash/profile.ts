/**
 * Where the crash test's time goes (CRASH_PROFILE=1): wall time per phase of every lane, summed, and
 * the CPU of each child runtime (user + sys from /proc) at its READY line and at its kill.
 */
import { readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

/** user+sys seconds of a live process (0 once it is gone). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

export class Profile {
  private readonly totals = new Map<string, { ms: number; count: number }>();
  private last = Date.now();

  /** Closes the phase that began at the previous mark (or the start) under `name`. */
  mark(name: string): void {
    const now = Date.now();
    this.add(name, now - this.last);
    this.last = now;
  }

  /** Adds `ms` (or a count, for a name starting with '#') to `name`. */
  add(name: string, ms: number): void {
    const total = this.totals.get(name) ?? { ms: 0, count: 0 };
    total.ms += ms;
    total.count++;
    this.totals.set(name, total);
  }

  static merge(profiles: Profile[]): string {
    const sum = new Map<string, { ms: number; count: number }>();
    for (const p of profiles) for (const [name, t] of p.totals) {
      const s = sum.get(name) ?? { ms: 0, count: 0 };
      sum.set(name, { ms: s.ms + t.ms, count: s.count + t.count });
    }
    // Names starting with '#' are counts, the others milliseconds.
    const line = ([name, t]: [string, { ms: number; count: number }]) =>
      name.startsWith('#') ? `${name}: ${t.ms} in ${t.count} (${(t.ms / t.count).toFixed(1)} each)` : `${name}: ${(t.ms / 1000).toFixed(1)} s in ${t.count} (${(t.ms / t.count).toFixed(0)} ms each)`;
    return [...sum].map(line).join('\n');
  }
}
