/**
 * Splitting a bill into shares, in integer minor units. Every function returns amounts that add
 * up exactly to the total, and none is negative.
 *
 * Remainder rule (one rule for every kind of split): an amount is divided in proportion to the
 * shares' weights; each share first gets the floor of its exact portion, and the minor units left
 * over go one each to the shares with the largest fractional part, ties broken by position (the
 * earlier share first). With equal weights this is simply: the first `total mod n` shares get one
 * extra minor unit. Positions are stable: equal shares keep their order, devices are ordered by
 * when they first added a dish to the bill.
 */

/** Divides `total` into `n` shares that differ by at most one minor unit; the first `total mod n` get the extra unit. */
export function splitEqually(total: number, n: number): number[] {
  assertAmount(total);
  if (!Number.isInteger(n) || n < 1) throw new RangeError('The number of shares must be a positive integer');
  const base = Math.floor(total / n);
  const remainder = total - base * n;
  return Array.from({ length: n }, (_, index) => base + (index < remainder ? 1 : 0));
}

/**
 * Divides `total` in proportion to `weights` (non-negative integers) with the largest-remainder rule
 * above. When every weight is zero the total is split equally.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  assertAmount(total);
  if (weights.length === 0) throw new RangeError('There must be at least one share');
  for (const weight of weights) assertAmount(weight, 'A weight');
  const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (weightSum === 0n) return splitEqually(total, weights.length);

  // BigInt keeps total × weight exact well beyond 2^53.
  const exact = weights.map((weight) => BigInt(total) * BigInt(weight));
  const shares = exact.map((product) => Number(product / weightSum));
  const fractions = exact.map((product) => product % weightSum);
  let left = total - shares.reduce((sum, share) => sum + share, 0);
  const byLargestFraction = fractions
    .map((fraction, index) => ({ fraction, index }))
    .sort((a, b) => (a.fraction === b.fraction ? a.index - b.index : a.fraction > b.fraction ? -1 : 1));
  for (const { index } of byLargestFraction) {
    if (left === 0) break;
    shares[index] += 1;
    left -= 1;
  }
  return shares;
}

/** One dish on the bill, as the split sees it. */
export interface BillLine {
  /** `<orderId>:<itemIndex>`: how a guest names a dish when sharing it. */
  ref: string;
  /** The line's total (unit price × quantity), minor units. */
  amount: number;
  /** Device that added the dish: who pays for it unless it is shared. */
  deviceId: string;
}

export interface DeviceShare {
  deviceId: string;
  amount: number;
}

/**
 * Splits `total` (the bill including tax) between devices: each device's weight is the sum of the
 * dishes it pays for — the dishes it added, except that a dish listed in `sharedLines` is divided
 * equally among the devices listed for it (the first of them gets any odd unit). The total is then
 * allocated in proportion to those weights, so tax is shared in the same proportion as the food.
 * Devices appear in the order they first occur in `lines`, then in `sharedLines`.
 */
export function splitByDevice(total: number, lines: readonly BillLine[], sharedLines: ReadonlyMap<string, readonly string[]> = new Map()): DeviceShare[] {
  const weights = new Map<string, number>();
  const add = (deviceId: string, amount: number) => weights.set(deviceId, (weights.get(deviceId) ?? 0) + amount);
  for (const line of lines) {
    const sharers = sharedLines.get(line.ref);
    if (!sharers || sharers.length === 0) {
      add(line.deviceId, line.amount);
      continue;
    }
    const unique = [...new Set(sharers)];
    splitEqually(line.amount, unique.length).forEach((amount, index) => add(unique[index], amount));
  }
  if (weights.size === 0) return [];
  const deviceIds = [...weights.keys()];
  const amounts = allocateProportionally(total, deviceIds.map((deviceId) => weights.get(deviceId) ?? 0));
  return deviceIds.map((deviceId, index) => ({ deviceId, amount: amounts[index] }));
}

function assertAmount(value: number, what = 'An amount'): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer of minor units`);
}
