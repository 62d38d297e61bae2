import { describe, expect, it } from 'vitest';
import { rateLimitNetwork } from '../../functions/core/network.ts';

describe('the network a per-IP limit counts', () => {
  it('is the address itself for IPv4 and IPv4-mapped IPv6', () => {
    expect(rateLimitNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 prefix for IPv6, however the address is written', () => {
    const network = '2001:db8:85a3:8d3::/64';
    expect(rateLimitNetwork('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe(network);
    expect(rateLimitNetwork('2001:0db8:85a3:08d3:ffff::1')).toBe(network);
    expect(rateLimitNetwork('2001:DB8:85A3:8D3::')).toBe(network);
    expect(rateLimitNetwork('2001:db8:85a3:8d4::1')).not.toBe(network);
    expect(rateLimitNetwork('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('is "unknown" for anything that is not an address', () => {
    expect(rateLimitNetwork('')).toBe('unknown');
    expect(rateLimitNetwork('not-an-ip')).toBe('unknown');
  });
});
