// Load benchmark for the emulator (not a test): renew mutations per second at 50 concurrent keep-alive
// clients, next to a bare node:http server answering a fixed JSON body, in the same run.
//   npx tsx bench/emulator-load.ts [--seconds 5] [--clients 50]   (about 2 x seconds + 3 s in all)
// Each server runs in its own child process (forked with tsx's loader) so the load generator does not share
// its event loop.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RENEW = `mutation CustomerAccessTokenRenew($customerAccessToken: String!) {
  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {
    customerAccessToken { accessToken expiresAt }
    userErrors { field message }
  }
}`;
const FIXED_BODY = JSON.stringify({
  data: {
    customerAccessTokenRenew: {
      customerAccessToken: { accessToken: '0'.repeat(32), expiresAt: '2026-08-26T22:57:56Z' },
      userErrors: [],
    },
  },
  extensions: { cost: { requestedQueryCost: 12 } },
});

interface Ready {
  port: number;
  storefrontToken: string;
  customerTokens: string[];
}

async function serve(kind: 'emulator' | 'bare', clients: number): Promise<void> {
  // The parent asks for this process's CPU time around each measured slice; if the parent goes, so do we.
  process.on('message', () => process.send!(process.cpuUsage()));
  process.on('disconnect', () => process.exit(0));
  if (kind === 'bare') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(FIXED_BODY),
        });
        res.end(FIXED_BODY);
      });
    });
    server.listen(0, '127.0.0.1', () => {
      process.send!({
        port: (server.address() as AddressInfo).port,
        storefrontToken: '',
        customerTokens: [],
      } satisfies Ready);
    });
    return;
  }
  const { startEmulator, DEFAULT_CUSTOMER } = await import('../src/testing/index.js');
  const em = await startEmulator();
  const customerTokens = Array.from({ length: clients }, () => em.customers.issue(DEFAULT_CUSTOMER.email).accessToken);
  process.send!({
    port: Number(new URL(em.url).port),
    storefrontToken: em.publicAccessToken,
    customerTokens,
  } satisfies Ready);
}

function post(
  agent: Agent,
  port: number,
  headers: Record<string, string>,
  body: string,
  read?: (text: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/2026-04/graphql.json',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        if (read) res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        else res.resume();
        res.on('end', () => {
          try {
            read?.(text);
            resolve(res.statusCode ?? 0);
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A started server with its load: `slice` drives 50 clients for a while and adds to the totals. */
interface Target {
  kind: 'emulator' | 'bare';
  done: number;
  failed: number;
  seconds: number;
  /** Server CPU time (user + system) spent in measured slices, µs. */
  cpuMicros: number;
  slice(ms: number, counting: boolean): Promise<void>;
  stop(): void;
}

async function start(kind: 'emulator' | 'bare', clients: number): Promise<Target> {
  // fork() passes on process.execArgv, so the child runs this same file under tsx, as the server.
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind, '--clients', String(clients)], {
    stdio: 'inherit',
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited early (${code})`)));
  });
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const headers = { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': ready.storefrontToken };
  const bodies = Array.from({ length: clients }, (_, i) =>
    JSON.stringify({
      query: RENEW,
      variables: { customerAccessToken: ready.customerTokens[i] ?? 'x' },
      operationName: 'CustomerAccessTokenRenew',
    }),
  );
  // Make sure the emulator really renews (a validation error would also be a 200).
  try {
    await post(agent, ready.port, headers, bodies[0]!, (text) => {
      if (!JSON.parse(text).data?.customerAccessTokenRenew?.customerAccessToken)
        throw new Error(`the ${kind} server did not renew`);
    });
  } catch (error) {
    agent.destroy();
    child.kill();
    throw error;
  }
  const cpu = () =>
    new Promise<NodeJS.CpuUsage>((resolve) => {
      child.once('message', (usage) => resolve(usage as NodeJS.CpuUsage));
      child.send('cpu');
    });
  const target: Target = {
    kind,
    done: 0,
    failed: 0,
    seconds: 0,
    cpuMicros: 0,
    async slice(ms, counting) {
      const cpuBefore = counting ? await cpu() : undefined;
      const started = performance.now();
      const until = started + ms;
      const loop = async (i: number) => {
        while (performance.now() < until) {
          const status = await post(agent, ready.port, headers, bodies[i]!);
          if (counting) status === 200 ? (target.done += 1) : (target.failed += 1);
        }
      };
      await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
      if (counting) target.seconds += (performance.now() - started) / 1000;
      if (cpuBefore) {
        const after = await cpu();
        target.cpuMicros += after.user - cpuBefore.user + (after.system - cpuBefore.system);
      }
    },
    stop() {
      agent.destroy();
      child.kill();
    },
  };
  return target;
}

/**
 * Alternates one-second slices between the two servers so that load from elsewhere on the (shared) machine
 * hits both alike; each gets `seconds` of measured load after a warm-up (connections, JIT, document cache).
 */
async function measure(seconds: number, clients: number): Promise<Target[]> {
  const targets = [await start('bare', clients), await start('emulator', clients)];
  try {
    for (const target of targets) await target.slice(500, false);
    for (let round = 0; round < seconds; round += 1) for (const target of targets) await target.slice(1000, true);
  } finally {
    for (const target of targets) target.stop();
  }
  return targets;
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '50' },
    serve: { type: 'string' },
  },
});
if (values.serve === 'bare' || values.serve === 'emulator') {
  await serve(values.serve, Number(values.clients));
} else {
  const seconds = Math.min(Math.max(Number(values.seconds) || 5, 1), 30);
  const clients = Math.min(Math.max(Number(values.clients) || 50, 1), 500);
  const [bare, emulator] = (await measure(seconds, clients)) as [Target, Target];
  const rate = (t: Target) => t.done / t.seconds;
  const fmt = (t: Target) => `${rate(t).toFixed(0).padStart(8)} req/s${t.failed ? ` (${t.failed} non-200)` : ''}`;
  console.log(`clients: ${clients}, measured: ${seconds} x 1s slices each (alternating), node ${process.version}`);
  console.log(`bare node:http, fixed body  ${fmt(bare)}`);
  console.log(`emulator, renew mutation    ${fmt(emulator)}`);
  console.log(`ratio emulator / bare       ${(rate(emulator) / rate(bare)).toFixed(2)}  (target >= 0.50)`);
  // Throughput depends on what else the machine runs; CPU per request is the steadier comparison.
  const perRequest = (t: Target) => t.cpuMicros / Math.max(t.done + t.failed, 1);
  console.log(
    `server CPU per request      bare ${perRequest(bare).toFixed(0)} µs, emulator ` +
      `${perRequest(emulator).toFixed(0)} µs`,
  );
}
