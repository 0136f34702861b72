// npm packages written for Node.js that use its streams and its async context, bundled for Node.js as an ES module:
// split2 (CommonJS, require('stream') and require('string_decoder')) splits a stream of text into lines, and Hono's
// contextStorage middleware keeps each request's context in node:async_hooks' AsyncLocalStorage, which getContext()
// reads after the handler's awaits. A Hono app answers what they did.
import { Hono } from 'hono';
import { contextStorage, getContext } from 'hono/context-storage';
import split2 from 'split2';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const app = new Hono();
app.use(contextStorage());
app.use(async (c, next) => {
  c.set('requestId', c.req.header('x-request-id') ?? 'none');
  await next();
});

// reads the request's context without being handed it, after a timer and a promise
async function requestId() {
  await new Promise((resolve) => setTimeout(resolve, 1));
  await null;
  return getContext().var.requestId;
}

app.post('/lines', async (c) => {
  const text = await c.req.text();
  const lines = [];
  // the text arrives in chunks that cut lines, as a network stream does
  const chunks = [];
  for (let at = 0; at < text.length; at += 4) {
    chunks.push(text.slice(at, at + 4));
  }
  await pipeline(Readable.from(chunks), split2(), async function collect(source) {
    for await (const line of source) {
      lines.push(line);
    }
  });
  return c.json({ lines, requestId: await requestId() });
});

export default app;
