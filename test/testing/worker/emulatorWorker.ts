// A Cloudflare Worker (workerd, as Oxygen runs) that serves the emulator; bundled by test/testing/workerd.test.ts.
import { createEmulator, type FetchEmulator } from '../../../src/testing/fetch.js';

interface Env {
  /** The SDL per version, handed in as a JSON binding: the worker has no file system to read schema/ from. */
  SCHEMAS: Record<string, string>;
  /** The emulator clock's start, ms since the epoch (workerd's own clock stands still until I/O). */
  NOW: number;
}

let emulator: FetchEmulator | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // Built on the first request: workerd allows no timers or randomness at module scope.
    emulator ??= createEmulator({ schemas: env.SCHEMAS, now: env.NOW });
    if (new URL(request.url).pathname === '/tokens') {
      return Promise.resolve(Response.json({ public: emulator.publicAccessToken }));
    }
    return emulator.fetch(request);
  },
};
