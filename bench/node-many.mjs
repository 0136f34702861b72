// The Node.js row of bench/many-functions.sh: serves many function modules (the same files code-sous runs) from one
// process, each imported once, GET /f/<index>/<rest> going to the index-th file as code-sous's gateway would send it:
// a module exporting handler(event) gets the event, one exporting default { fetch } (Workers style) gets a Request.
// usage: node bench/node-many.mjs <port> <module.mjs>...
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const [port, ...files] = process.argv.slice(2);
const modules = [];
for (const file of files) {
  modules.push(await import(pathToFileURL(file).href));
}

async function answer(module, req, url, body) {
  if (module.handler) {
    const event = {
      httpMethod: req.method, path: url.pathname, proxyPath: url.pathname, headers: req.headers,
      queryStringParameters: Object.fromEntries(url.searchParams), body, isBase64Encoded: false,
    };
    const response = await module.handler(event, {});
    return { status: response.statusCode ?? 200, headers: response.headers ?? {}, body: response.body ?? '' };
  }
  const response = await module.default.fetch(new Request(url, { method: req.method, headers: req.headers }), {}, {
    waitUntil() {},
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const [, , index, ...rest] = url.pathname.split('/');
    const module = modules[Number(index)];
    try {
      if (!module) {
        throw new Error('no function ' + index);
      }
      const routed = new URL('/' + rest.join('/') + url.search, url);
      const out = await answer(module, req, routed, chunks.length ? Buffer.concat(chunks).toString('utf8') : null);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
}).listen(Number(port), '127.0.0.1');
