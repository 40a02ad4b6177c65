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

describe('describeSignal for store-failure', () => {
  it("says what a failed read means, with the store's message (a misconfigured Redis key names its fix there)", () => {
    const message = describeSignal({
      kind: 'store-failure',
      method: 'get',
      message: 'the key "customer-session:1" holds a list. Give each customer session a key of its own.',
    });
    expect(message).toBe(
      'storefront-customer-session: the token store\'s get() failed (the key "customer-session:1" holds a list. ' +
        'Give each customer session a key of its own.); the token this client knows is used, if any, and the store ' +
        'is read again next time.',
    );
  });

  it('says a failed write is retried, the token kept in memory', () => {
    expect(describeSignal({ kind: 'store-failure', method: 'set' })).toBe(
      "storefront-customer-session: the token store's set() failed; the token is kept in memory and the write is " +
        'retried.',
    );
  });
});
