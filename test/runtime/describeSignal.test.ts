import { describe, expect, it } from 'vitest';
import { describeSignal } from '../../src/runtime/signals.js';

describe('describeSignal for wrong-version-document', () => {
  it('names both versions and the fix for generated documents: regenerate for the exchange version', () => {
    const message = describeSignal({
      kind: 'wrong-version-document',
      operationName: 'CustomerOrders',
      apiVersion: '2026-04',
      documentVersion: '2026-01',
    });
    expect(message).toBe(
      'storefront-customer-session: the provided document ("CustomerOrders") is invalid. It was generated for API ' +
        'version 2026-01, and this exchange is bound to 2026-04. If it is one of your operations, regenerate your ' +
        'operations for 2026-04 (codegen --versions 2026-04) and import them from that entry point ' +
        '(<out>/2026-04/documents.js); the package\'s own documents come from "storefront-customer-session/2026-04", ' +
        'like the exchanges.',
    );
  });

  it('still names the exchange version and the fix when the exchange does not know the document version', () => {
    const message = describeSignal({
      kind: 'wrong-version-document',
      operationName: 'Customer',
      apiVersion: '2026-04',
    });
    expect(message).toContain('It was generated for another API version, and this exchange is bound to 2026-04.');
    expect(message).toContain('regenerate your operations for 2026-04');
    expect(message).toContain('"storefront-customer-session/2026-04"');
  });
});
