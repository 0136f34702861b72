package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * node:http and node:https: Node.js's HTTP client as Node.js code uses it, each request made through the same
 * capability call as fetch (answered here by {@link HostBindingsRecorder}), so the platform's egress policy decides it.
 */
class NodeHttpTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static HostBindingsRecorder answering(int status, Map<String, List<String>> headers, String body) {
    return new HostBindingsRecorder(new HostFetchResponse(status, headers, body.getBytes(StandardCharsets.UTF_8),
        "https://api.example.com/orders?page=2"));
  }

  @Test
  void aRequestWithABodySendsItsMethodHeadersAndBodyAndReadsTheResponseAsAStream() {
    HostBindingsRecorder bindings = answering(201, Map.of("content-type", List.of("application/json"),
        "set-cookie", List.of("a=1", "b=2")), "{\"id\":7}");
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import https from 'node:https';
        export const handler = () => new Promise((resolve, reject) => {
          const req = https.request({hostname: 'api.example.com', path: '/orders?page=2', method: 'POST',
              headers: {'Content-Type': 'application/json', 'X-Trace': 'abc', Host: 'ignored.example'}}, (res) => {
            res.setEncoding('utf8');
            let text = '';
            res.on('data', (chunk) => { text += chunk; });
            res.on('end', () => resolve({statusCode: 200, body: JSON.stringify([res.statusCode, res.statusMessage,
              res.headers['content-type'], res.headers['set-cookie'], res.rawHeaders.length, res.httpVersion,
              res.complete, JSON.parse(text).id, req.getHeader('x-trace'), req.headersSent])}));
          });
          req.on('error', reject);
          req.write('{"item":');
          req.end(Buffer.from('"tea"}'));
        });
        """).bindings(bindings)));

    assertEquals("[201,\"Created\",\"application/json\",[\"a=1\",\"b=2\"],6,\"1.1\",true,7,\"abc\",true]", body);
    HostFetchRequest sent = bindings.requests.get(0);
    assertEquals("POST https://api.example.com/orders?page=2", sent.method() + " " + sent.url());
    assertEquals("application/json", sent.headers().get("content-type"));
    assertEquals("abc", sent.headers().get("x-trace"));
    assertEquals(null, sent.headers().get("host"), "the platform sets the host");
    assertArrayEquals("{\"item\":\"tea\"}".getBytes(StandardCharsets.UTF_8), sent.body());
  }

  @Test
  void getTakesAUrlAndOptionsAndBasicAuthBecomesAnAuthorizationHeader() {
    HostBindingsRecorder bindings = answering(200, Map.of(), "plain");
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import http from 'node:http';
        import { get } from 'node:https';
        const read = (res) => new Promise((resolve) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        });
        export const handler = async () => {
          const first = await new Promise((resolve) => http.get('http://user:p%40ss@example.com:8080/a?b=1',
            (res) => resolve(read(res))));
          const second = await new Promise((resolve) => get(new URL('https://example.com/x'),
            {headers: {accept: 'text/plain'}}, (res) => resolve(read(res))));
          const third = await new Promise((resolve) => http.get({hostname: '::1', port: 8080, path: '/v6'},
            (res) => resolve(read(res))));
          const fourth = await new Promise((resolve) => http.get({host: 'example.org:81'},
            (res) => resolve(read(res))));
          return {statusCode: 200, body: [first, second, third, fourth].join()};
        };
        """).bindings(bindings)));

    assertEquals("plain,plain,plain,plain", body);
    HostFetchRequest first = bindings.requests.get(0);
    assertEquals("GET http://example.com:8080/a?b=1", first.method() + " " + first.url());
    assertEquals("Basic dXNlcjpwQHNz", first.headers().get("authorization"));
    assertEquals(0, first.body().length);
    assertEquals("https://example.com/x", bindings.requests.get(1).url());
    assertEquals("text/plain", bindings.requests.get(1).headers().get("accept"));
    assertEquals("http://[::1]:8080/v6", bindings.requests.get(2).url());
    assertEquals("http://example.org/", bindings.requests.get(3).url(), "a port in host is not the request's");
  }

  @Test
  void aRequestTheEgressPolicyRefusesEmitsAnErrorWithThePlatformsCode() {
    HostBindingsRecorder bindings = new HostBindingsRecorder(null);
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import http from 'node:http';
        export const handler = () => new Promise((resolve) => {
          const req = http.get('http://169.254.169.254/latest/meta-data/', () => resolve({statusCode: 200,
            body: 'answered'}));
          req.on('error', (error) => resolve({statusCode: 200, body: [error.code, req.destroyed].join()}));
        });
        """).bindings(bindings)));

    assertEquals(HostBindingsRecorder.DENIED + ",true", body);
  }

  @Test
  void argumentsNodeJsRefusesAreRefusedWithItsCodes() {
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import http, { validateHeaderName } from 'node:http';
        import https from 'node:https';
        const failure = (f) => {
          try {
            f();
            return 'no error';
          } catch (e) {
            return e.code;
          }
        };
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          failure(() => http.request('https://example.com/')),
          failure(() => https.request({protocol: 'http:', hostname: 'example.com'})),
          failure(() => http.request({hostname: 'example.com', method: 'GE T'})),
          failure(() => http.request({hostname: 'example.com', path: '/a b'})),
          failure(() => http.request({hostname: 'example.com', headers: {'bad name': 'x'}})),
          failure(() => http.request({socketPath: '/var/run/docker.sock'})),
          failure(() => validateHeaderName('ok-name')),
          failure(() => http.createServer()),
          http.STATUS_CODES[418], http.METHODS.includes('PATCH'), new https.Agent().defaultPort,
        ])});
        """)));

    assertEquals("[\"ERR_INVALID_PROTOCOL\",\"ERR_INVALID_PROTOCOL\",\"ERR_INVALID_HTTP_TOKEN\","
        + "\"ERR_UNESCAPED_CHARACTERS\",\"ERR_INVALID_HTTP_TOKEN\",\"ERR_FEATURE_UNAVAILABLE_ON_PLATFORM\","
        + "\"no error\",\"ERR_FEATURE_UNAVAILABLE_ON_PLATFORM\",\"I'm a Teapot\",true,443]", body);
  }

  @Test
  void aTimeoutIsEmittedForItsListenerToEndTheRequestAndDestroyingItEndsIt() {
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import http from 'node:http';
        export const handler = () => new Promise((resolve) => {
          const events = [];
          // the socket stand-in is handed out as Node.js hands out a socket, and is told about the timeout too
          const req = http.request({hostname: 'example.com', timeout: 5});
          req.on('socket', (socket) => socket.on('timeout', () => events.push('socket timeout')));
          req.on('timeout', () => {
            events.push('timeout');
            req.destroy(new Error('took too long'));
          });
          req.on('error', (error) => events.push(error.message));
          req.on('close', () => resolve({statusCode: 200, body: events.join()}));
          req.on('response', () => events.push('response'));
        });
        """).bindings(new HostBindingsRecorder(null))));

    assertEquals("socket timeout,timeout,took too long", body);
  }

  @Test
  void commonJsCodeRequiresBothAndAResponseNobodyReadsIsDropped() {
    HostBindingsRecorder bindings = answering(204, Map.of(), "");
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        export const handler = () => new Promise((resolve) => {
          const http = require('http');
          const https = require('node:https');
          const req = https.request('https://example.com/ping', {method: 'DELETE'});
          req.on('response', (res) => res.on('end', () => resolve({statusCode: 200, body: JSON.stringify([
            res.statusCode, http.request === require('node:http').request, typeof https.globalAgent,
            req instanceof http.ClientRequest, res instanceof http.IncomingMessage])})).resume());
          req.end();
        });
        """).bindings(bindings)));

    assertEquals("[204,true,\"object\",true,true]", body);
    assertEquals("DELETE https://example.com/ping", bindings.requests.get(0).method() + " "
        + bindings.requests.get(0).url());
  }
}
