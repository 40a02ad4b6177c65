import { describe, expect, it } from 'vitest';
import {
  currentVersion,
  formatInstant,
  nextCalendarChange,
  releaseCandidate,
  releaseTime,
  retirementTime,
  servedVersion,
  supportedVersions,
  versionStatus,
} from '../../src/runtime/versions.js';
import { notServedWarning } from '../../src/runtime/storefrontOptions.js';

const at = (iso: string) => Date.parse(iso);
const TODAY = at('2026-12-05T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('the support calendar', () => {
  it('supports 2026-01 to 2026-10 on 2026-12-05, with 2027-01 as the release candidate', () => {
    expect(supportedVersions(TODAY)).toEqual(['2026-01', '2026-04', '2026-07', '2026-10']);
    expect(currentVersion(TODAY)).toBe('2026-10');
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
  ] as const)('says %s is %s on 2026-12-05', (version, status) => {
    expect(versionStatus(version, TODAY)).toBe(status);
  });

  it('releases a version at 17:00 UTC on the 1st of its month', () => {
    expect(iso(releaseTime('2027-01'))).toBe('2027-01-01T17:00:00.000Z');
    expect(iso(releaseTime('2026-10'))).toBe('2026-10-01T17:00:00.000Z');
  });

  it('keeps a version reachable until 15:00 UTC on the 16th, one year after its release', () => {
    expect(iso(retirementTime('2026-10'))).toBe('2027-10-16T15:00:00.000Z');
    expect(iso(retirementTime('2025-07'))).toBe('2026-07-16T15:00:00.000Z');
    expect(iso(retirementTime('2026-01'))).toBe('2027-01-16T15:00:00.000Z');
    expect(versionStatus('2025-07', at('2026-07-16T14:59:59.999Z'))).toBe('supported');
    expect(servedVersion('2025-07', at('2026-07-16T14:59:59.999Z'))).toBe('2025-07');
    expect(versionStatus('2025-07', at('2026-07-16T15:00:00Z'))).toBe('retired');
    expect(servedVersion('2025-07', at('2026-07-16T15:00:00Z'))).toBe('2025-10');
  });

  it('changes nothing on 2027-01-01 before 17:00 UTC', () => {
    const before = at('2027-01-01T16:59:59.999Z');
    expect(currentVersion(before)).toBe('2026-10');
    expect(supportedVersions(before)).toEqual(['2026-01', '2026-04', '2026-07', '2026-10']);
    expect(releaseCandidate(before)).toBe('2027-01');
    expect(versionStatus('2027-01', before)).toBe('release-candidate');
    expect(versionStatus('2027-04', before)).toBe('unreleased');
    expect(servedVersion('2027-04', before)).toBe('2026-01');
    expect(servedVersion('2025-10', before)).toBe('2026-01');
  });

  it('makes 2027-01 the newest stable version and 2027-04 the candidate from 17:00 UTC, still serving 2026-01', () => {
    const release = at('2027-01-01T17:00:00Z');
    expect(currentVersion(release)).toBe('2027-01');
    expect(releaseCandidate(release)).toBe('2027-04');
    expect(versionStatus('2027-01', release)).toBe('supported');
    expect(versionStatus('2027-04', release)).toBe('release-candidate');
    expect(supportedVersions(release)).toEqual(['2026-01', '2026-04', '2026-07', '2026-10', '2027-01']);
    expect(servedVersion('2026-01', release)).toBe('2026-01');
    expect(servedVersion('2025-10', release)).toBe('2026-01');
  });

  it('serves 2026-01 as itself until 2027-01-16 15:00 UTC, and only then falls it forward', () => {
    const lastMoment = at('2027-01-16T14:59:59.999Z');
    expect(versionStatus('2026-01', lastMoment)).toBe('supported');
    expect(servedVersion('2026-01', lastMoment)).toBe('2026-01');
    const fallen = at('2027-01-16T15:00:00Z');
    expect(versionStatus('2026-01', fallen)).toBe('retired');
    expect(servedVersion('2026-01', fallen)).toBe('2026-04');
    expect(servedVersion('2025-10', fallen)).toBe('2026-04');
    expect(supportedVersions(fallen)).toEqual(['2026-04', '2026-07', '2026-10', '2027-01']);
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

  it('prints an instant to the minute, in UTC', () => {
    expect(formatInstant(retirementTime('2025-07'))).toBe('2026-07-16 15:00 UTC');
  });
});

describe('notServedWarning', () => {
  const vendored = ['2025-07', '2025-10', '2026-01', '2026-04', '2026-07', '2026-10'];

  it('names the instant it retired, what Shopify serves instead and the supported entry point with the same types', () => {
    expect(notServedWarning('2025-07', TODAY, vendored)).toBe(
      'storefront-customer-session: Storefront API 2025-07 is no longer supported (retired on 2026-07-16 15:00 UTC): ' +
        'Shopify now serves 2026-01 for it, and the types of "storefront-customer-session/2025-07" may not match ' +
        'its answers. Import "storefront-customer-session/2026-01" instead.',
    );
  });

  it('says nothing for a version still served as itself', () => {
    expect(notServedWarning('2026-01', TODAY, vendored)).toBeUndefined();
    expect(notServedWarning('2025-07', at('2026-06-30T00:00:00Z'), vendored)).toBeUndefined();
    expect(notServedWarning('2025-07', at('2026-07-16T14:59:00Z'), vendored)).toBeUndefined();
    expect(notServedWarning('2026-01', at('2027-01-16T14:59:00Z'), vendored)).toBeUndefined();
  });

  it('warns about 2026-01 from 2027-01-16 15:00 UTC', () => {
    expect(notServedWarning('2026-01', at('2027-01-16T15:00:00Z'), vendored)).toContain(
      'Storefront API 2026-01 is no longer supported (retired on 2027-01-16 15:00 UTC): Shopify now serves 2026-04',
    );
  });

  it('points at the newest vendored entry point when none is supported any more', () => {
    expect(notServedWarning('2025-07', at('2028-01-01T00:00:00Z'), ['2025-07', '2025-10'])).toContain(
      // 2028-01 comes out at 17:00 UTC that day, and 2027-01 is served as itself until the 16th.
      'Shopify now serves 2027-01 for it',
    );
    expect(notServedWarning('2025-07', at('2028-01-01T00:00:00Z'), ['2025-07', '2025-10'])).toContain(
      'Import "storefront-customer-session/2025-10" instead.',
    );
  });
});

describe('nextCalendarChange', () => {
  it('names the next release, or the next fall-forward when it comes first', () => {
    expect(iso(nextCalendarChange(TODAY))).toBe('2027-01-01T17:00:00.000Z');
    expect(iso(nextCalendarChange(at('2027-01-01T16:59:59.999Z')))).toBe('2027-01-01T17:00:00.000Z');
    expect(iso(nextCalendarChange(at('2027-01-01T17:00:00Z')))).toBe('2027-01-16T15:00:00.000Z');
    expect(iso(nextCalendarChange(at('2027-01-16T15:00:00Z')))).toBe('2027-04-01T17:00:00.000Z');
  });
});
