/**
 * Which "network" a per-IP limit counts. One IPv4 address is one subscriber line (or one NAT); an
 * IPv6 subscriber usually holds a whole /64 and can pick a new address per request, so IPv6
 * addresses are counted by their /64 prefix. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts as IPv4.
 */
import { isIPv4, isIPv6 } from 'node:net';

function ipv6Groups(address: string): number[] {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const missing = 8 - left.length - right.length;
  return tail === undefined ? left : [...left, ...Array(missing).fill(0), ...right];
}

export function rateLimitNetwork(ip: string): string {
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return 'unknown';
  const mapped = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  const groups = ipv6Groups(ip.toLowerCase().split('%')[0]);
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}
