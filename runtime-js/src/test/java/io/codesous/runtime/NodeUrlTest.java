package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * node:url's legacy API (parse, format, resolve), urlToHttpOptions and the file URL helpers, answering as Node.js 20
 * does: the expected text below is what Node.js printed for the same calls.
 */
class NodeUrlTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void theLegacyParserFormatterAndResolverAnswerAsNodeJsDoes() {
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        const url = require('url');
        const cases = ['http://user:p%40ss@Example.COM:8080/p/a/t/h?query=string&a=1#hash', 'https://example.com',
          '/just/a/path?x=1', 'example.com/no/protocol', '//host.example/x', 'http://[::1]:3000/ipv6',
          'mailto:someone@example.com', 'http://a.com/with space', 'file:///etc/passwd',
          'HTTPS://API.example.com/v1/items?limit=10'];
        export const handler = () => {
          const lines = [];
          lines.push(JSON.stringify(cases.map((c) => {
            const u = url.parse(c);
            return [u.protocol, u.slashes, u.auth, u.host, u.port, u.hostname, u.hash, u.search, u.query, u.pathname,
              u.path, u.href];
          })));
          lines.push(JSON.stringify(url.parse('http://a.com/b?x=1&x=2&y=z', true).query));
          lines.push(JSON.stringify(url.parse('//host.example/x', false, true).host));
          lines.push(url.format({protocol: 'https', hostname: 'example.com', port: 8443, pathname: '/a b',
            query: {q: 'x y', n: 2}}));
          lines.push(url.format('http://Example.com:80/a?b#c'));
          lines.push([url.resolve('http://example.com/a/b', '../c'), url.resolve('/one/two/three', 'four'),
            url.resolve('http://example.com/', '/one')].join(' '));
          lines.push(JSON.stringify(url.urlToHttpOptions(new URL('https://u:p@[::1]:8443/x?y=1#z'))));
          lines.push([url.fileURLToPath('file:///index.mjs'), url.fileURLToPath('file:///a%20b/c.mjs'),
            url.pathToFileURL('/a b/c#d.mjs').href].join(' '));
          return {statusCode: 200, body: lines.join('\\n')};
        };
        """)));

    // what Node.js 20 printed for the same calls
    assertEquals("[[\"http:\",true,\"user:p@ss\",\"example.com:8080\",\"8080\",\"example.com\",\"#hash\",\"?query=stri"
        + "ng&a=1\",\"query=string&a=1\",\"/p/a/t/h\",\"/p/a/t/h?query=string&a=1\",\"http://user:p%40ss@exampl"
        + "e.com:8080/p/a/t/h?query=string&a=1#hash\"],[\"https:\",true,null,\"example.com\",null,\"example.com"
        + "\",null,null,null,\"/\",\"/\",\"https://example.com/\"],[null,null,null,null,null,null,null,\"?x=1\""
        + ",\"x=1\",\"/just/a/path\",\"/just/a/path?x=1\",\"/just/a/path?x=1\"],[null,null,null,null,null,null,"
        + "null,null,null,\"example.com/no/protocol\",\"example.com/no/protocol\",\"example.com/no/protocol\"],"
        + "[null,null,null,null,null,null,null,null,null,\"//host.example/x\",\"//host.example/x\",\"//host.exa"
        + "mple/x\"],[\"http:\",true,null,\"[::1]:3000\",\"3000\",\"::1\",null,null,null,\"/ipv6\",\"/ipv6\",\""
        + "http://[::1]:3000/ipv6\"],[\"mailto:\",null,\"someone\",\"example.com\",null,\"example.com\",null,nu"
        + "ll,null,null,null,\"mailto:someone@example.com\"],[\"http:\",true,null,\"a.com\",null,\"a.com\",null"
        + ",null,null,\"/with%20space\",\"/with%20space\",\"http://a.com/with%20space\"],[\"file:\",true,null,\""
        + "\",null,\"\",null,null,null,\"/etc/passwd\",\"/etc/passwd\",\"file:///etc/passwd\"],[\"https:\",true"
        + ",null,\"api.example.com\",null,\"api.example.com\",null,\"?limit=10\",\"limit=10\",\"/v1/items\",\"/"
        + "v1/items?limit=10\",\"https://api.example.com/v1/items?limit=10\"]]\n{\"x\":[\"1\",\"2\"],\"y\":\"z\""
        + "}\n\"host.example\"\nhttps://example.com:8443/a b?q=x%20y&n=2\nhttp://example.com:80/a?b#c\nhttp://e"
        + "xample.com/c /one/two/four http://example.com/one\n{\"protocol\":\"https:\",\"hostname\":\"::1\",\"h"
        + "ash\":\"#z\",\"search\":\"?y=1\",\"pathname\":\"/x\",\"path\":\"/x?y=1\",\"href\":\"https://u:p@[::1"
        + "]:8443/x?y=1#z\",\"port\":8443,\"auth\":\"u:p\"}\n/index.mjs /a b/c.mjs file:///a%20b/c%23d.mjs", body);
  }

  @Test
  void esModuleCodeFindsItsOwnPathFromImportMetaUrl() {
    String body = assertSuccessBody(runtime.run(TestRequest.entry("""
        import { fileURLToPath } from 'node:url';
        import { dirname } from 'node:path';
        const __filename = fileURLToPath(import.meta.url);
        export const handler = () => ({statusCode: 200, body: [__filename, dirname(__filename)].join()});
        """)));

    assertEquals("/index.mjs,/", body);
  }
}
