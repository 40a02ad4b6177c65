// A Cloudflare Worker (workerd, as Oxygen runs) serving the emulator's Customer Account sign-in; bundled by
// test/testing/customerAccount/workerd.test.ts.
import { createEmulator, type FetchEmulator } from '../../../src/testing/fetch.js';

let emulator: FetchEmulator | undefined;

export default {
  fetch(request: Request, env: { SCHEMAS: Record<string, string>; NOW: number }): Promise<Response> {
    // Built on the first request: workerd allows no timers or randomness at module scope.
    emulator ??= createEmulator({ schemas: env.SCHEMAS, now: env.NOW });
    if (new URL(request.url).pathname === '/client') {
      const { publicClientId, redirectUri } = emulator.customerAccount;
      return Promise.resolve(Response.json({ publicClientId, redirectUri }));
    }
    return emulator.fetch(request);
  },
};
