import { describe, expect, it } from 'vitest';
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
