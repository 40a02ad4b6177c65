/* A streamed GraphQL answer (incremental delivery over multipart/mixed) that a test sends one part at a time. */
/**
 * A `multipart/mixed` (incremental delivery) response whose parts the test sends one at a time with `part()` (each
 * closed by the boundary, which is when urql's parser passes it on); the body stays
 * open until its reader cancels it (urql's does when the operation is torn down).
 */
export function partStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
      c.enqueue(encoder.encode('\r\n---'));
    },
  });
  return {
    response: new Response(body, {
      status: 200,
      headers: { 'content-type': 'multipart/mixed; boundary="-"', 'x-shopify-api-version': '2026-04' },
    }),
    part: (payload: unknown) =>
      controller.enqueue(
        encoder.encode(`\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(payload)}\r\n---`),
      ),
  };
}
