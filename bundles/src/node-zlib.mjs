// npm code written for Node.js that compresses with node:zlib, bundled for Node.js as an ES module: pngjs (CommonJS,
// require('zlib'), require('stream'), require('util')) writes a PNG with zlib.deflateSync and reads one through
// zlib.createInflate's stream, and a body is gzipped with the callback API through util.promisify and through a
// createGzip stream. A Hono app answers what they made, binary data in base64.
import { Hono } from 'hono';
import pngjs from 'pngjs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const { PNG } = pngjs;
const app = new Hono();

// a width x height image of one colour, as PNG
app.post('/png', async (c) => {
  const { width, height, rgba } = await c.req.json();
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data.set(rgba, i * 4);
  }
  return c.json({ png: PNG.sync.write(png).toString('base64') });
});

// what a PNG holds: its size and its first pixel, read by pngjs's streaming parser
app.post('/png/inspect', async (c) => {
  const bytes = Buffer.from((await c.req.json()).png, 'base64');
  const png = await new Promise((resolve, reject) => new PNG().parse(bytes, (error, parsed) =>
    (error ? reject(error) : resolve(parsed))));
  return c.json({ width: png.width, height: png.height, first: Array.from(png.data.subarray(0, 4)) });
});

app.post('/gzip', async (c) => {
  const text = await c.req.text();
  const once = await promisify(zlib.gzip)(text, { level: 9 });
  const chunks = [];
  await pipeline(Readable.from(text.match(/[\s\S]{1,1000}/g) ?? []), zlib.createGzip(), new Writable({
    write(chunk, encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  }));
  return c.json({ once: once.toString('base64'), streamed: Buffer.concat(chunks).toString('base64') });
});

export default app;
