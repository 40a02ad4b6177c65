import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a redis-server, for the failures a test must order exactly:
 * - `cut()`/`heal()`: a partition between the proxy's clients and Redis. The connections stay open; what the
 *   clients send meanwhile is held back, and reaches Redis, in order, on `heal()` (as a command node-redis
 *   wrote into a socket during an outage reaches Redis once the network is back), while other clients that
 *   talk to Redis directly go on.
 * - `retarget(port)`: drops every connection and sends new ones to another server (a restart, seen from the
 *   clients: the connection breaks, the reconnection finds an empty Redis).
 */
export interface RedisProxy {
  url: string;
  cut(): void;
  heal(): void;
  retarget(port: number): void;
  close(): Promise<void>;
}

export async function startProxy(upstreamPort: number): Promise<RedisProxy> {
  let upstream = upstreamPort;
  let cut = false;
  const pairs = new Set<{ client: Socket; server: Socket; held: Buffer[] }>();
  const server = createServer((client) => {
    const pair = { client, server: connect(upstream, '127.0.0.1'), held: [] as Buffer[] };
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      pair.server.destroy();
    };
    client.on('data', (chunk) => (cut ? pair.held.push(chunk) : pair.server.write(chunk)));
    pair.server.on('data', (chunk) => client.write(chunk));
    for (const socket of [client, pair.server]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no proxy port');
  const dropAll = () => {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.server.destroy();
    }
    pairs.clear();
  };
  return {
    url: `redis://127.0.0.1:${address.port}`,
    cut: () => void (cut = true),
    heal() {
      cut = false;
      for (const pair of pairs) for (const chunk of pair.held.splice(0)) pair.server.write(chunk);
    },
    retarget(port) {
      upstream = port;
      dropAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
