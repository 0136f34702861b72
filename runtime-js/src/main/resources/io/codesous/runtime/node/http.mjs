// node:http: the HTTP client of node:internal/http (http-client.mjs) for http: URLs, over fetch().
import {
  Agent, ClientRequest, IncomingMessage, METHODS, OutgoingMessage, STATUS_CODES, Server, ServerResponse, clientOf,
  createServer, globalAgent, maxHeaderSize, setMaxIdleHTTPParsers, validateHeaderName, validateHeaderValue,
} from 'node:internal/http';

const { request, get } = clientOf('http:');

export {
  Agent, ClientRequest, IncomingMessage, METHODS, OutgoingMessage, STATUS_CODES, Server, ServerResponse, createServer,
  get, globalAgent, maxHeaderSize, request, setMaxIdleHTTPParsers, validateHeaderName, validateHeaderValue,
};

export default {
  Agent, ClientRequest, IncomingMessage, METHODS, OutgoingMessage, STATUS_CODES, Server, ServerResponse, createServer,
  get, globalAgent, maxHeaderSize, request, setMaxIdleHTTPParsers, validateHeaderName, validateHeaderValue,
};
