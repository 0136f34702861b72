// The Node.js reference for bench/run.sh --bundle: imports the bundle once, then calls its handler in a closed loop
// on this one thread, timing each call. Prints one JSON line: import time, calls, calls/s, p50 and p99 in ms.
// usage: node bench/node-bundle.mjs <bundle.mjs> <warmup seconds> <measured seconds>
import { pathToFileURL } from 'node:url';

const [file, warmupSeconds = '5', measuredSeconds = '10'] = process.argv.slice(2);
const event = {
  httpMethod: 'GET', path: '/v1/web/bench/default/popular/prod/orders/7', proxyPath: '/orders/7',
  headers: { host: '127.0.0.1' }, queryStringParameters: { customer: 'ada', days: '5', locale: 'de' },
  body: null, isBase64Encoded: false,
};
const importStart = process.hrtime.bigint();
const module = await import(pathToFileURL(file).href);
const importMs = Number(process.hrtime.bigint() - importStart) / 1e6;
const handler = module.handler ?? module.default;

async function loop(seconds, record) {
  const end = process.hrtime.bigint() + BigInt(Math.round(Number(seconds) * 1e9));
  let calls = 0;
  for (let now = process.hrtime.bigint(); now < end; now = process.hrtime.bigint()) {
    const began = now;
    const response = await handler(JSON.parse(JSON.stringify(event)), {});
    if (response.statusCode !== 200) throw new Error('unexpected response ' + JSON.stringify(response));
    if (record) record.push(Number(process.hrtime.bigint() - began) / 1e6);
    calls++;
  }
  return calls;
}

const firstStart = process.hrtime.bigint();
await handler(JSON.parse(JSON.stringify(event)), {});
const firstCallMs = Number(process.hrtime.bigint() - firstStart) / 1e6;
await loop(warmupSeconds, null);
const samples = [];
const calls = await loop(measuredSeconds, samples);
samples.sort((a, b) => a - b);
const at = (p) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))];
console.log(JSON.stringify({ node: process.version, importMs, firstCallMs, calls,
  perSecond: calls / Number(measuredSeconds), p50Ms: at(0.5), p99Ms: at(0.99) }));
