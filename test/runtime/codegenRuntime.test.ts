import { createRequest } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { CustomerDocument as Customer2026_01 } from '../../generated/2026-01/graphql.js';
import { CustomerDocument as Customer2026_04 } from '../../generated/2026-04/graphql.js';
import * as entry2026_04 from '../../generated/2026-04/entry.js';
import { versionDocument } from '../../src/runtime/codegenRuntime.js';
import { documentVersion } from '../../src/runtime/documents.js';

// App documents generated before codegen computed their keys call versionDocument(document, version) without one:
// the codegen runtime computes it, so those documents stay bound to their version and apart from other versions'.
describe('codegen-runtime versionDocument', () => {
  it('binds a document generated without a key, and keeps two versions of the same text apart', () => {
    const old2026_01 = versionDocument(Customer2026_01, '2026-01');
    const old2026_04 = versionDocument(Customer2026_04, '2026-04');
    const key = (document: object) => (document as { __key?: number }).__key;
    expect(key(old2026_01)).toBeTypeOf('number');
    expect(key(old2026_01)).not.toBe(key(old2026_04));
    // urql keeps the key (and so the version) when it interns the document.
    expect(documentVersion(createRequest(old2026_01, { customerAccessToken: 't' }).query)).toBe('2026-01');
    expect(documentVersion(createRequest(old2026_04, { customerAccessToken: 't' }).query)).toBe('2026-04');
  });

  it('keeps the key codegen gave, and the entry point’s documents carry theirs', () => {
    expect((versionDocument(Customer2026_04, '2026-04', 12345) as { __key?: number }).__key).toBe(12345);
    const fromEntry = (entry2026_04.CustomerDocument as { __key?: number }).__key;
    expect(fromEntry).toBeTypeOf('number');
    expect(documentVersion(createRequest(entry2026_04.CustomerDocument, {}).query)).toBe('2026-04');
  });
});
