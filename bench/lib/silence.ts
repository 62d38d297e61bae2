/**
 * How many pings a socket that pings only after a heartbeat of silence (web/shared/ws.ts) sends:
 * it depends on when it hears something, so on when orders come. The cost model (cost-model.ts)
 * plays many days of orders arriving in a lunch and a dinner peak, gives every socket the pushes
 * it was measured to receive per order spread over each order's life, and counts the silences.
 */

/** Orders' arrival over the day: shares in two peaks (normal around a time of day) and the rest spread evenly. */
export interface ArrivalShape {
  openHour: number;
  hours: number;
  peaks: { share: number; peakHour: number; sdMinutes: number }[];
}

/** mulberry32: a small seeded generator, so every run of the bench models the same days. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const normal = (random: () => number): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** `count` arrival times in minutes after opening, sorted, drawn from `shape` (a peak's tails are cut at the opening hours). */
export function orderArrivals(shape: ArrivalShape, count: number, random: () => number): number[] {
  const dayMinutes = shape.hours * 60;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    let pick = random();
    const peak = shape.peaks.find((p) => (pick -= p.share) < 0);
    let at: number;
    do {
      at = peak ? (peak.peakHour - shape.openHour) * 60 + normal(random) * peak.sdMinutes : random() * dayMinutes;
    } while (at < 0 || at >= dayMinutes);
    times.push(at);
  }
  return times.sort((a, b) => a - b);
}

/** Pings sent in [start, end] by a socket that hears at `heard` (sorted) and pings after `heartbeatMinutes` of silence; each ping's pong is heard. */
export function pingsInSilence(heard: readonly number[], start: number, end: number, heartbeatMinutes: number): number {
  let pings = 0;
  let last = start;
  for (const at of heard) {
    if (at < start || at > end) continue;
    pings += Math.floor((at - last) / heartbeatMinutes);
    last = at;
  }
  return pings + Math.floor((end - last) / heartbeatMinutes);
}

/**
 * When one socket hears an order's pushes: `perOrder` of them (the fraction drawn: 2.4 is 2 or 3),
 * spread evenly over the order's `spanMinutes` from its arrival.
 */
export function pushTimes(arrivals: readonly number[], perOrder: number, spanMinutes: number, random: () => number): number[] {
  const times: number[] = [];
  for (const arrival of arrivals) {
    const n = Math.floor(perOrder) + (random() < perOrder - Math.floor(perOrder) ? 1 : 0);
    for (let i = 0; i < n; i++) times.push(arrival + (n === 1 ? 0 : (i * spanMinutes) / (n - 1)));
  }
  return times.sort((a, b) => a - b);
}

/**
 * Pings per day of each socket, averaged over `days` modelled days: each socket hears its own
 * measured pushes per order (`perOrder[k]`), from the same orders.
 */
export function pingsPerDay(options: ModelledDays, perOrder: readonly number[]): number {
  return averagePerDay(options, (arrivals, random) =>
    perOrder.reduce((pings, n) => pings + pingsInSilence(pushTimes(arrivals, n, options.spanMinutes, random), 0, options.shape.hours * 60, options.heartbeatMinutes), 0),
  );
}

/** The modelled days: their order arrivals, how pushes spread after an order, the heartbeat. */
export interface ModelledDays {
  shape: ArrivalShape;
  ordersPerDay: number;
  days: number;
  seed: number;
  spanMinutes: number;
  heartbeatMinutes: number;
}

/** `pingsOfDay` of each modelled day's order arrivals (one seeded random for all days), averaged. */
function averagePerDay(options: ModelledDays, pingsOfDay: (arrivals: number[], random: () => number) => number): number {
  const random = seededRandom(options.seed);
  let pings = 0;
  for (let day = 0; day < options.days; day++) pings += pingsOfDay(orderArrivals(options.shape, options.ordersPerDay, random), random);
  return pings / options.days;
}

/**
 * Pings of sockets that share each pong (the kitchen's tablets, functions/gateway/kitchen-beat.ts):
 * one goes when any socket has heard nothing for `heartbeatMinutes` since the last shared pong, and
 * its pong ends every socket's silence. `heard[k]`: socket k's push times, sorted.
 */
export function sharedPingsInSilence(heard: readonly (readonly number[])[], start: number, end: number, heartbeatMinutes: number): number {
  const first = heard.map(() => 0);
  let beat = start;
  let pings = 0;
  for (;;) {
    let due = Infinity;
    heard.forEach((times, k) => {
      while (first[k] < times.length && times[first[k]] <= beat) first[k]++;
      let last = beat;
      for (let i = first[k]; i < times.length && times[i] - last < heartbeatMinutes; i++) last = times[i];
      due = Math.min(due, last + heartbeatMinutes);
    });
    if (due > end) return pings;
    pings++;
    beat = due;
  }
}

/** The same days as pingsPerDay, the sockets sharing each pong: pings per day of the whole group. */
export function sharedPingsPerDay(options: ModelledDays, perOrder: readonly number[]): number {
  return averagePerDay(options, (arrivals, random) => {
    const heard = perOrder.map((n) => pushTimes(arrivals, n, options.spanMinutes, random));
    return sharedPingsInSilence(heard, 0, options.shape.hours * 60, options.heartbeatMinutes);
  });
}
