// node:https: the HTTP client of node:internal/http (http-client.mjs) for https: URLs, over fetch(); TLS is the
// platform's egress, so the options of a TLS socket (ca, cert, rejectUnauthorized…) have no effect.
import { Agent as HttpAgent, Server, clientOf, createServer } from 'node:internal/http';

export class Agent extends HttpAgent {
  constructor(options = {}) {
    super({ defaultPort: 443, protocol: 'https:', ...options });
  }
}

export const globalAgent = new Agent();

const { request, get } = clientOf('https:');

export { Server, createServer, get, request };

export default { Agent, Server, createServer, get, globalAgent, request };
