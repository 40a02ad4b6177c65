import { describe, expect, it } from 'vitest';
import {
  releaseCandidate,
  retirementTime,
  servedVersion,
  supportedVersions,
  versionStatus,
} from '../../src/runtime/versions.js';
import { notServedWarning } from '../../src/runtime/storefrontOptions.js';

const at = (iso: string) => Date.parse(iso);
const TODAY = at('2026-12-01T00:00:00Z');

describe('the support calendar', () => {
  it('supports the four newest stable versions on 2026-12-01, with 2027-01 as the release candidate', () => {
    expect(supportedVersions(TODAY)).toEqual(['2026-01', '2026-04', '2026-07', '2026-10']);
    expect(releaseCandidate(TODAY)).toBe('2027-01');
  });

  it.each([
    ['2025-07', 'retired'],
    ['2025-10', 'retired'],
    ['2026-01', 'supported'],
    ['2026-10', 'supported'],
    ['2027-01', 'release-candidate'],
    ['2027-04', 'unreleased'],
    ['unstable', 'unstable'],
  ] as const)('says %s is %s on 2026-12-01', (version, status) => {
    expect(versionStatus(version, TODAY)).toBe(status);
  });

  it('retires a version twelve months after its release, the day its fourth successor is released', () => {
    expect(new Date(retirementTime('2025-10')).toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(versionStatus('2025-10', at('2026-09-30T23:59:59Z'))).toBe('supported');
    expect(versionStatus('2025-10', at('2026-10-01T00:00:00Z'))).toBe('retired');
  });

  it('says Shopify serves a supported version, the candidate and unstable as themselves', () => {
    expect(['2026-01', '2026-10', '2027-01', 'unstable'].map((v) => servedVersion(v, TODAY))).toEqual([
      '2026-01',
      '2026-10',
      '2027-01',
      'unstable',
    ]);
  });

  it('says Shopify serves the oldest supported version for a retired or unreleased one', () => {
    expect(['2024-01', '2025-07', '2025-10', '2027-04', '2030-10'].map((v) => servedVersion(v, TODAY))).toEqual(
      Array(5).fill('2026-01'),
    );
    expect(servedVersion('2025-07', at('2026-05-01T00:00:00Z'))).toBe('2025-07');
  });
});

describe('notServedWarning', () => {
  const vendored = ['2025-07', '2025-10', '2026-01', '2026-04', '2026-07', '2026-10'];

  it('names what Shopify serves instead and the supported entry point with the same types', () => {
    expect(notServedWarning('2025-07', TODAY, vendored)).toBe(
      'storefront-customer-session: Storefront API 2025-07 is no longer supported (retired on 2026-07-01): ' +
        'Shopify now serves 2026-01 for it, and the types of "storefront-customer-session/2025-07" may not match ' +
        'its answers. Import "storefront-customer-session/2026-01" instead.',
    );
  });

  it('says nothing for a supported version', () => {
    expect(notServedWarning('2026-01', TODAY, vendored)).toBeUndefined();
    expect(notServedWarning('2025-07', at('2026-06-30T00:00:00Z'), vendored)).toBeUndefined();
  });

  it('points at the newest vendored entry point when none is supported any more', () => {
    expect(notServedWarning('2025-07', at('2028-01-01T00:00:00Z'), ['2025-07', '2025-10'])).toContain(
      'Shopify now serves 2027-04 for it',
    );
    expect(notServedWarning('2025-07', at('2028-01-01T00:00:00Z'), ['2025-07', '2025-10'])).toContain(
      'Import "storefront-customer-session/2025-10" instead.',
    );
  });
});
