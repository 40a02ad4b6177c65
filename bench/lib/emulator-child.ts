// The emulator in its own process, driven over IPC by remote-emulator.ts, so that the client being
// measured does not share an event loop (or a core) with the server answering it.
import { DEFAULT_CUSTOMER, startEmulator, TOKEN_LIFETIME_MS } from '../../src/testing/index.js';
import type { Command, Reply, Ready } from './emulator-protocol.js';

const start = Number(process.argv[2]);
const emulator = await startEmulator({ now: start });

function handle(command: Command): unknown {
  switch (command.op) {
    case 'issue': {
      const { accessToken, expiresAt } = emulator.customers.issue(DEFAULT_CUSTOMER.email);
      return { accessToken, expiresAt };
    }
    case 'set':
      emulator.clock.set(command.ms);
      return null;
    case 'count':
      return emulator.counters.count(command.operationName);
    case 'requests':
      return emulator.counters.requests();
    case 'reset':
      emulator.counters.reset();
      return null;
  }
}

process.on('message', (message: Command & { id: number }) => {
  let reply: Reply;
  try {
    reply = { id: message.id, ok: true, value: handle(message) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: String(error) };
  }
  process.send!(reply);
});
process.on('disconnect', () => {
  void emulator.close().then(() => process.exit(0));
});

process.send!({
  url: emulator.url,
  storeDomain: emulator.storeDomain,
  publicAccessToken: emulator.publicAccessToken,
  tokenLifetimeMs: TOKEN_LIFETIME_MS,
} satisfies Ready);
