import { LIBRARY } from '../runtime/errors.js';
import { MAX_BODY_LENGTH, type EmulatorRequest } from './handler.js';
import { CORS_HEADERS, JSON_TYPE, type Answer } from './responses.js';

/** What a `fetch` caller sees when the emulator drops the connection (a `reset` fault, or a close mid-latency). */
export function connectionReset(): TypeError {
  return new TypeError(
    `${LIBRARY}: the emulator reset the connection ("reset"). It plays a network failure; faults.clear() ends it.`,
  );
}

/** The `fetch` function of an emulator: the same signature as the global one. */
export type EmulatorFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Turns the transport-neutral handler into a `fetch` function. */
export function fetchHandler(answer: (request: EmulatorRequest) => Promise<Answer>): EmulatorFetch {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const answered = await answer(asEmulatorRequest(request));
    // Like fetch: a request whose signal aborted rejects with the abort reason (a held request ends so).
    if (request.signal.aborted) throw request.signal.reason;
    return answerAsResponse(answered);
  };
}

/** A `Request` as the handler reads it; the body is read once, and refused past {@link MAX_BODY_LENGTH}. */
export function asEmulatorRequest(request: Request): EmulatorRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname + url.search,
    header: (name) => request.headers.get(name) ?? undefined,
    text: () => readText(request),
    closed: () =>
      new Promise<void>((resolve) =>
        request.signal.aborted ? resolve() : request.signal.addEventListener('abort', () => resolve(), { once: true }),
      ),
  };
}

async function readText(request: Request): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    text += chunk.value;
    if (text.length > MAX_BODY_LENGTH) {
      await reader.cancel();
      return undefined;
    }
  }
  return text;
}

/** The `Response` for an answer; a dropped connection rejects, a cut body errors its stream part-way. */
export function answerAsResponse(answer: Answer): Response {
  if (answer.kind === 'reset') throw connectionReset();
  const headers = new Headers(CORS_HEADERS);
  const contentType = answer.contentType === undefined ? JSON_TYPE : answer.contentType;
  if (contentType !== null) headers.set('Content-Type', contentType);
  for (const name in answer.headers) headers.set(name, answer.headers[name]!);
  if (answer.status === 204 || answer.status === 304) return new Response(null, { status: answer.status, headers });
  const bytes = new TextEncoder().encode(answer.body);
  headers.set('Content-Length', String(bytes.length));
  if (answer.cutAt === undefined) return new Response(bytes, { status: answer.status, headers });
  const sent = new TextEncoder().encode(answer.body.slice(0, answer.cutAt));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(sent);
      if (!answer.stall) controller.error(connectionReset());
      else void answer.stall.then(() => controller.error(connectionReset()));
    },
  });
  return new Response(body, { status: answer.status, headers });
}
