import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * The emulator's token-life candidates lack one: a renewal that issues a new token with a fresh lifetime and
 * invalidates the old one at once ("rotation": `new-token` leaves the old one working, `rotate-same-expiry`
 * keeps its expiry, so a round later it is still due). Until the emulator has it, this proxy in front of the
 * emulator (set to `new-token`) plays it: while `rotating()`, renew requests go through one at a time, and each
 * one that renewed deletes the token it renewed (with the Storefront delete mutation) before its answer goes back,
 * so no client can learn of the new token while the old one still works. Everything else passes through as is.
 */
export async function rotatingProxy(emulatorUrl: string, rotating: () => boolean): Promise<Server> {
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const headers = forwardable(request.headers);
      const send = (text: string | undefined) =>
        fetch(`${emulatorUrl}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, body: text });
      const pass = async () => {
        const answer = await send(body);
        return { answer, text: await answer.text() };
      };
      const rotate = async () => {
        const passed = await pass();
        const old = tokenIn(body, (json) => json?.variables?.customerAccessToken);
        const renewed = tokenIn(
          passed.text,
          (json) => json?.data?.customerAccessTokenRenew?.customerAccessToken?.accessToken,
        );
        if (old && renewed && renewed !== old) {
          const deleted = await send(JSON.stringify({ query: DELETE, variables: { customerAccessToken: old } }));
          if (!deleted.ok) throw new Error(`rotatingProxy: deleting the renewed token answered ${deleted.status}`);
          await deleted.text();
        }
        return passed;
      };
      let outcome: { answer: Response; text: string };
      if (rotating() && body?.includes('customerAccessTokenRenew')) {
        const turn = queue.then(rotate);
        queue = turn.catch(() => {});
        outcome = await turn;
      } else outcome = await pass();
      const out: Record<string, string> = {};
      outcome.answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name)) out[name] = value;
      });
      response.writeHead(outcome.answer.status, out).end(outcome.text);
    })().catch((error: unknown) => {
      response.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const DELETE = `mutation CustomerAccessTokenDelete($customerAccessToken: String!) {
  customerAccessTokenDelete(customerAccessToken: $customerAccessToken) { deletedAccessToken }
}`;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'host',
]);

function forwardable(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
    request.on('error', reject);
  });
}

/** A string picked out of a JSON text, or `undefined`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function tokenIn(text: string | undefined, pick: (json: any) => unknown): string | undefined {
  try {
    const value = pick(JSON.parse(text ?? 'null'));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
