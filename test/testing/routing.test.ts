import { describe, expect, it } from 'vitest';
import { createEmulator, readSchemas } from '../../src/testing/index.js';
import { resolveVersion, servesAsItself } from '../../src/testing/routing.js';

const TODAY = Date.parse('2026-12-01T00:00:00Z');
const ALL = ['2025-07', '2025-10', '2026-01', '2026-04', '2026-07', '2026-10'];

describe('resolveVersion', () => {
  it.each(['2026-01', '2026-04', '2026-07', '2026-10'])('serves supported and vendored %s as itself', (v) => {
    expect(resolveVersion(v, TODAY, ALL)).toEqual({ header: v, schemaVersion: v });
  });

  it.each(['2024-04', '2025-07', '2025-10', '2027-04'])('falls forward from %s to the oldest supported', (v) => {
    expect(resolveVersion(v, TODAY, ALL)).toEqual({ header: '2026-01', schemaVersion: '2026-01' });
  });

  it('serves a vendored release candidate as itself', () => {
    expect(resolveVersion('2027-01', TODAY, [...ALL, '2027-01']).header).toBe('2027-01');
    expect(resolveVersion('2027-01', TODAY, ALL).header).toBe('2026-01');
  });

  it('falls forward to the closest vendored version when the oldest supported is not vendored', () => {
    expect(resolveVersion('2025-07', TODAY, ['2025-07', '2026-04', '2026-10'])).toEqual({
      header: '2026-04',
      schemaVersion: '2026-04',
    });
  });
});

describe('servesAsItself', () => {
  it('is false for supported versions without a snapshot and for retired ones', () => {
    const vendored = ['2025-07', '2025-10', '2026-01', '2026-04'];
    expect(
      ['2025-07', '2026-01', '2026-04', '2026-07', '2026-10'].map((v) => servesAsItself(v, TODAY, vendored)),
    ).toEqual([false, true, true, false, false]);
  });
});

describe('routing around the 2027-01 release, to the hour', () => {
  const WITH_2027_01 = [...ALL, '2027-01'];
  const BEFORE_RELEASE = Date.parse('2027-01-01T16:59:59.999Z');
  const RELEASE = Date.parse('2027-01-01T17:00:00Z');
  const LAST_MOMENT_OF_2026_01 = Date.parse('2027-01-16T14:59:59.999Z');
  const FALL_OF_2026_01 = Date.parse('2027-01-16T15:00:00Z');
  const header = (version: string, now: number) => resolveVersion(version, now, WITH_2027_01).header;

  it('changes nothing before 17:00 UTC on 2027-01-01: 2027-01 is the candidate, 2027-04 falls forward', () => {
    expect(header('2027-01', BEFORE_RELEASE)).toBe('2027-01');
    expect(header('2027-04', BEFORE_RELEASE)).toBe('2026-01');
    expect(header('2025-10', BEFORE_RELEASE)).toBe('2026-01');
  });

  it('serves 2027-01 as stable and 2027-04 as the candidate from 17:00 UTC, and 2026-01 as itself', () => {
    expect(header('2027-01', RELEASE)).toBe('2027-01');
    expect(resolveVersion('2027-04', RELEASE, [...WITH_2027_01, '2027-04']).header).toBe('2027-04');
    expect(header('2026-01', RELEASE)).toBe('2026-01');
    expect(header('2025-10', RELEASE)).toBe('2026-01');
  });

  it('falls 2026-01 forward to 2026-04 only from 15:00 UTC on 2027-01-16', () => {
    expect(header('2026-01', LAST_MOMENT_OF_2026_01)).toBe('2026-01');
    expect(header('2026-01', FALL_OF_2026_01)).toBe('2026-04');
    expect(header('2025-07', FALL_OF_2026_01)).toBe('2026-04');
  });

  it('answers over the emulator the way the calendar says, and lists only what it serves as itself', async () => {
    const schemas = readSchemas();
    const em = createEmulator({ schemas: { ...schemas, '2027-01': schemas['2026-10']! }, now: BEFORE_RELEASE });
    const ask = async (version: string) => {
      const response = await em.fetch(`${em.url}/api/${version}/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
        body: JSON.stringify({ query: '{ publicApiVersions { handle supported } }' }),
      });
      const body = (await response.json()) as { data: { publicApiVersions: { handle: string; supported: boolean }[] } };
      return { served: response.headers.get('X-Shopify-API-Version'), listed: body.data.publicApiVersions };
    };
    const before = await ask('2026-01');
    expect(before.served).toBe('2026-01');
    expect(before.listed).toEqual([
      { handle: '2026-01', supported: true },
      { handle: '2026-04', supported: true },
      { handle: '2026-07', supported: true },
      { handle: '2026-10', supported: true },
      { handle: '2027-01', supported: false },
      { handle: 'unstable', supported: false },
    ]);
    em.clock.set(RELEASE);
    const released = await ask('2027-01');
    expect(released.served).toBe('2027-01');
    expect(released.listed.filter((v) => v.supported).map((v) => v.handle)).toEqual([
      '2026-01',
      '2026-04',
      '2026-07',
      '2026-10',
      '2027-01',
    ]);
    em.clock.set(LAST_MOMENT_OF_2026_01);
    expect((await ask('2026-01')).served).toBe('2026-01');
    em.clock.set(FALL_OF_2026_01);
    const fallen = await ask('2026-01');
    expect(fallen.served).toBe('2026-04');
    expect(fallen.listed.map((v) => v.handle)).toEqual(['2026-04', '2026-07', '2026-10', '2027-01', 'unstable']);
    await em.close();
  });
});
