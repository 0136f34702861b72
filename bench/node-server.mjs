// The Node.js row of bench/cpu-per-request.sh: serves a function module (the same file code-sous runs) over HTTP,
// importing it once and calling its handler(event) for every request, the event shaped as code-sous's gateway
// shapes it. One process, one thread; what its CPU per request is, is the reference for the sandbox's.
// usage: node bench/node-server.mjs <module.mjs> <port>
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const [file, port] = process.argv.slice(2);
const module = await import(pathToFileURL(file).href);
const handler = module.handler ?? module.default;

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const event = {
      httpMethod: req.method, path: url.pathname, proxyPath: url.pathname, headers: req.headers,
      queryStringParameters: Object.fromEntries(url.searchParams), body: chunks.length ? Buffer.concat(chunks)
        .toString('utf8') : null, isBase64Encoded: false,
    };
    try {
      const response = await handler(event, {});
      res.writeHead(response.statusCode ?? 200, response.headers ?? {});
      res.end(response.body ?? '');
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
}).listen(Number(port), '127.0.0.1');
