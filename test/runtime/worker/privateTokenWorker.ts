// A Cloudflare Worker (workerd, as Oxygen runs) that builds the storefront exchange with a private token, as a
// server may; bundled by test/runtime/storefrontOptions.workerd.test.ts.
import { storefrontExchange } from '../../../generated/2026-04/entry.js';

export default {
  fetch(): Response {
    const scope = {
      userAgent: globalThis.navigator?.userAgent ?? null,
      serviceWorkerGlobal: typeof (globalThis as { ServiceWorkerGlobalScope?: unknown }).ServiceWorkerGlobalScope,
    };
    try {
      storefrontExchange({ storeDomain: 'shop.example.com', privateAccessToken: 'private-token-in-a-worker' });
      return Response.json({ ...scope, built: true });
    } catch (error) {
      return Response.json({ ...scope, built: false, message: (error as Error).message });
    }
  },
};
