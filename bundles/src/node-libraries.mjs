// npm packages written for Node.js (CommonJS, loading Node.js's modules with require()), bundled for Node.js as an ES
// module: esbuild leaves crypto, buffer, util, events and path to the platform and calls require() for them, which
// the banner build.sh gives node-*.mjs answers (createRequire of node:module). cookie-signature signs and checks a
// cookie value with crypto's createHmac and timingSafeEqual, safe-buffer hands out buffer's Buffer, and a CommonJS
// file of the bundle's own subclasses EventEmitter with inherits. A Workers-style handler answers what they did.
import signature from 'cookie-signature';
import { Buffer as SafeBuffer } from 'safe-buffer';
import HitCounter from './lib/hit-counter.cjs';

export default {
  async fetch(request) {
    const { value, secret } = await request.json();
    const signed = signature.sign(value, secret);
    const counter = new HitCounter();
    const hits = [];
    counter.on('hit', (where, count) => hits.push(`${where}#${count}`));
    counter.hit('a');
    counter.hit('b');
    return Response.json({
      signed,
      unsigned: signature.unsign(signed, secret),
      tampered: signature.unsign(signed.slice(0, -1) + (signed.endsWith('A') ? 'B' : 'A'), secret),
      safeBuffer: [SafeBuffer === Buffer, SafeBuffer.from(value).toString('hex')],
      hits,
    });
  },
};
