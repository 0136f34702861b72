package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.Results.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Web platform globals of the sandbox, each with the edge cases its standard (Encoding, URL, HTML, Fetch, DOM,
 * WebCrypto) spells out. Every function answers with what it found, so one assertion compares the whole list.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebPlatformApiTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static String run(String body) {
    return assertSuccessBody(runtime.execute(TestRequest.asyncHandler(body).build()));
  }

  private static void assertChecks(String checks, int expectedCount) {
    GuestChecks.assertChecks(runtime.get(), "", checks, expectedCount);
  }

  @Test
  void textEncoderAndTextDecoderFollowTheEncodingStandard() {
    assertChecks("""
        const hex = (b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
        const enc = new TextEncoder();
        t.push(['encoding', enc.encoding, 'utf-8']);
        t.push(['ascii', hex(enc.encode('Az')), '41 7a']);
        t.push(['two three four bytes', hex(enc.encode('\\u00e9\\u20ac\\u{1d11e}')),
            'c3 a9 e2 82 ac f0 9d 84 9e']);
        t.push(['lone surrogate becomes U+FFFD', hex(enc.encode('a\\ud800b')), '61 ef bf bd 62']);
        t.push(['no argument', enc.encode().length, 0]);
        const into = new Uint8Array(4);
        const r = enc.encodeInto('a\\u20acb', into);
        t.push(['encodeInto stops before a character that does not fit', r.read + '/' + r.written, '2/4']);
        const dec = new TextDecoder();
        t.push(['decode', dec.decode(new Uint8Array([0xe2, 0x82, 0xac, 0x21])), '\\u20ac!']);
        t.push(['BOM stripped', dec.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), 'A']);
        t.push(['ignoreBOM keeps it', new TextDecoder('utf-8', {ignoreBOM: true})
            .decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), '\\ufeffA']);
        t.push(['malformed becomes U+FFFD', dec.decode(new Uint8Array([0x41, 0xff, 0x42])), 'A\\ufffdB']);
        let fatal;
        try { new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array([0xc3])); fatal = 'decoded'; }
        catch (e) { fatal = e.constructor.name; }
        t.push(['fatal throws a TypeError', fatal, 'TypeError']);
        t.push(['label with spaces and case', new TextDecoder(' UTF8 ').encoding, 'utf-8']);
        t.push(['latin1 is windows-1252', new TextDecoder('latin1').decode(new Uint8Array([0x80, 0xe9])),
            '\\u20ac\\u00e9']);
        let unknown;
        try { new TextDecoder('klingon'); unknown = 'accepted'; } catch (e) { unknown = e.constructor.name; }
        t.push(['unknown label', unknown, 'RangeError']);
        const streaming = new TextDecoder();
        const euro = [0xe2, 0x82, 0xac];
        t.push(['stream keeps a split sequence', streaming.decode(new Uint8Array(euro.slice(0, 2)), {stream: true})
            + streaming.decode(new Uint8Array(euro.slice(2))), '\\u20ac']);
        t.push(['a DataView decodes', dec.decode(new DataView(new Uint8Array([0x68, 0x69]).buffer)), 'hi']);
        """, 16);
  }

  @Test
  void atobAndBtoaAreTheForgivingBase64OfTheHtmlStandard() {
    assertChecks("""
        const error = (f) => { try { f(); return 'none'; } catch (e) { return e.name; } };
        t.push(['btoa', btoa('hello'), 'aGVsbG8=']);
        t.push(['btoa of latin1', btoa('\\u00ff\\u00fe'), '//4=']);
        t.push(['btoa refuses non-latin1', error(() => btoa('\\u20ac')), 'InvalidCharacterError']);
        t.push(['atob', atob('aGVsbG8='), 'hello']);
        t.push(['atob without padding', atob('aGVsbG8'), 'hello']);
        t.push(['atob skips ASCII whitespace', atob(' aGVs\\nbG8=\\t'), 'hello']);
        t.push(['atob: length 1 mod 4', error(() => atob('a')), 'InvalidCharacterError']);
        t.push(['atob: padding inside', error(() => atob('ab=c')), 'InvalidCharacterError']);
        t.push(['atob: bad character', error(() => atob('ab$c')), 'InvalidCharacterError']);
        t.push(['atob of empty', atob(''), '']);
        t.push(['atob(undefined) decodes "undefined", 9 characters', error(() => atob(undefined)),
            'InvalidCharacterError']);
        t.push(['DOMException code', (() => { try { atob('a'); } catch (e) { return e.code; } })(), 5]);
        """, 12);
  }

  @Test
  void urlParsesTheWebPlatformTestsVectors() {
    // From web-platform-tests url/resources/urltestdata.json and its IDNA cases: input, base, and the href the
    // standard gives, or null where parsing must fail. Left out: the newer vectors that want labels such as
    // "xn--pokxncvks" (valid punycode, invalid once decoded) refused; whatwg-url 17.3.0 accepts them.
    assertChecks("""
        const vectors = [
          ['http://example\\t.\\norg', 'http://example.org/foo/bar', 'http://example.org/'],
          ['C|/', 'file://host/dir/file', 'file://host/C:/'],
          ['https://:@test', 'about:blank', 'https://test/'],
          ['non-special://test:@test/x', 'about:blank', 'non-special://test@test/x'],
          ['http:foo.com', 'http://example.org/foo/bar', 'http://example.org/foo/foo.com'],
          ['\\t   :foo.com   \\n', 'http://example.org/foo/bar', 'http://example.org/foo/:foo.com'],
          ['a:\\t foo.com', 'http://example.org/foo/bar', 'a: foo.com'],
          ['http://f:21/ b ? d # e ', 'http://example.org/foo/bar', 'http://f:21/%20b%20?%20d%20#%20e'],
          ['lolscheme:x x#x x', 'about:blank', 'lolscheme:x x#x%20x'],
          ['http://f:00000000000000000000080/c', 'http://example.org/foo/bar', 'http://f/c'],
          ['http://f:b/c', 'http://example.org/foo/bar', null],
          ['http://f:999999/c', 'http://example.org/foo/bar', null],
          ['', 'http://example.org/foo/bar', 'http://example.org/foo/bar'],
          [':foo.com\\\\', 'http://example.org/foo/bar', 'http://example.org/foo/:foo.com/'],
          ['#\\\\', 'http://example.org/foo/bar', 'http://example.org/foo/bar#\\\\'],
          ['foo://', 'http://example.org/foo/bar', 'foo://'],
          ['http::@c:29', 'http://example.org/foo/bar', 'http://example.org/foo/:@c:29'],
          ['http://GOO\\u200b\\u2060\\ufeffgoo.com', 'http://other.com/', 'http://googoo.com/'],
          ['http://GOO\\u00a0\\u3000goo.com', 'http://other.com/', null],
          ['http://www.foo\\u3002bar.com', 'http://other.com/', 'http://www.foo.bar.com/'],
          ['http://\\ufdd0zyx.com', 'http://other.com/', null],
          ['http://\\uff27\\uff4f.com', 'http://other.com/', 'http://go.com/'],
          ['http://\\u4f60\\u597d\\u4f60\\u597d', 'http://other.com/', 'http://xn--6qqa088eba/'],
          ['https://fa\\u00df.ExAmPlE/', 'about:blank', 'https://xn--fa-hia.example/'],
          ['http://\\uff10\\uff38\\uff43\\uff10\\uff0e\\uff10\\uff12\\uff15\\uff10\\uff0e\\uff10\\uff11',
              'http://other.com/', 'http://192.168.0.1/'],
          ['ftp://%e2%98%83', 'about:blank', 'ftp://xn--n3h/'],
          ['file://a\\u00adb/p', 'about:blank', 'file://ab/p'],
          ['blob:https://example.com:443/', 'about:blank', 'blob:https://example.com:443/'],
        ];
        for (const [input, base, href] of vectors) {
          let actual;
          try { actual = new URL(input, base).href; } catch (e) { actual = e instanceof TypeError ? null : e.name; }
          t.push([JSON.stringify(input), actual, href]);
        }
        const u = new URL('https://user:pa%20ss@EXAMPLE.com:8443/a/./b/../c?x=1&y=%20#frag');
        t.push(['parts', [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search,
            u.hash, u.origin].join('|'),
            'https:|user|pa%20ss|example.com:8443|example.com|8443|/a/c|?x=1&y=%20|#frag|https://example.com:8443']);
        u.searchParams.append('z', 'a b&c');
        t.push(['searchParams write back', u.search, '?x=1&y=+&z=a+b%26c']);
        u.port = '443';
        t.push(['default port dropped', u.host, 'example.com']);
        t.push(['canParse', URL.canParse('nope') + '/' + URL.canParse('/x', 'http://a/'), 'false/true']);
        t.push(['toJSON', JSON.stringify({u: new URL('http://a/b')}), '{"u":"http://a/b"}']);
        """, 33);
  }

  @Test
  void theFastPathsForPlainUrlsAndQueriesGiveWhatTheParserGives() {
    // Inputs on both sides of what the fast paths take (see runtime-js/web/src/url.mjs): plain absolute http(s)
    // URLs are read off the text; dot segments, IPv4 hosts, upper case, punycode, leading zeros, bad ports and
    // characters the parser encodes go through the parser. The expected values are the standard's.
    assertChecks("""
        const cases = [
          ['https://example.com', 'https://example.com/', '/', ''],
          ['http://example.com:80/a', 'http://example.com/a', '/a', ''],
          ['https://example.com:443', 'https://example.com/', '/', ''],
          ['https://example.com:8443/a/b/?q=1&r=a%20b#f', 'https://example.com:8443/a/b/?q=1&r=a%20b#f', '/a/b/',
              '8443'],
          ['https://api.example-1.com/v1/users/42?fields=a,b&x=%7E',
              'https://api.example-1.com/v1/users/42?fields=a,b&x=%7E', '/v1/users/42', ''],
          ['https://example.com/%2e/a', 'https://example.com/a', '/a', ''],
          ['https://example.com/a/%2E%2E/b', 'https://example.com/b', '/b', ''],
          ['https://example.com/a/..', 'https://example.com/', '/', ''],
          ['https://example.com/a/.%2e/', 'https://example.com/', '/', ''],
          ['http://1.2.3.4/x', 'http://1.2.3.4/x', '/x', ''],
          ['http://0x7f.1/', 'http://127.0.0.1/', '/', ''],
          ['http://example.com:065/', 'http://example.com:65/', '/', '65'],
          ['https://xn--fa-hia.example/', 'https://xn--fa-hia.example/', '/', ''],
          ['https://EXAMPLE.com/A', 'https://example.com/A', '/A', ''],
          ["https://example.com/it's?q='x'", "https://example.com/it's?q=%27x%27", "/it's", ''],
          ['https://example.com/a b', 'https://example.com/a%20b', '/a%20b', ''],
          ['https://example.com/#a#b', 'https://example.com/#a#b', '/', ''],
          ['https://example.com/?', 'https://example.com/?', '/', ''],
        ];
        for (const [input, href, pathname, port] of cases) {
          const u = new URL(input);
          t.push([input, [u.href, u.pathname, u.port].join(' '), [href, pathname, port].join(' ')]);
        }
        const refused = (input) => { try { new URL(input); return 'parsed'; } catch (e) { return e.name; } };
        t.push(['an IPv4-looking last label that is not one', refused('http://a.0x7f/'), 'TypeError']);
        t.push(['a port past 65535', refused('http://example.com:65536/'), 'TypeError']);
        const u = new URL('https://example.com/p?a=1&b=%41%42&d=x+y&e=%&f=%4');
        t.push(['query values', [...u.searchParams].map(([k, v]) => k + '=' + v).join(' '),
            'a=1 b=AB d=x y e=% f=%4']);
        t.push(['UTF-8 escapes', new URLSearchParams('c=%C3%A9&d=x+y').get('c'), '\u00e9']);
        t.push(['plain pairs serialize', new URLSearchParams({a: 'x y', b: 'z.-_*'}).toString(), 'a=x+y&b=z.-_*']);
        t.push(['others are encoded', new URLSearchParams({a: 'x/y', b: '\u00e9'}).toString(), 'a=x%2Fy&b=%C3%A9']);
        u.searchParams.set('a', 'two words');
        t.push(['a change writes back', u.href, 'https://example.com/p?a=two+words&b=AB&d=x+y&e=%25&f=%254']);
        """, 25);
  }

  @Test
  void urlSearchParamsFollowsTheUrlencodedParser() {
    assertChecks("""
        const p = new URLSearchParams('?a=b&a=c&d=%20+e&&f');
        t.push(['getAll', p.getAll('a').join(), 'b,c']);
        t.push(['plus and percent', p.get('d'), '  e']);
        t.push(['no value', p.get('f'), '']);
        t.push(['missing', p.get('zz'), null]);
        t.push(['size', p.size, 4]);
        p.sort();
        t.push(['sorted, stable', p.toString(), 'a=b&a=c&d=++e&f=']);
        p.delete('a');
        t.push(['delete', p.has('a'), false]);
        t.push(['from object', new URLSearchParams({x: '1', y: '\\u00e9'}).toString(), 'x=1&y=%C3%A9']);
        t.push(['from pairs', new URLSearchParams([['a', '1'], ['a', '2']]).toString(), 'a=1&a=2']);
        t.push(['has with value', new URLSearchParams('a=1&a=2').has('a', '2'), true]);
        """, 10);
  }

  @Test
  void timersRunInDelayOrderOnTheActivationsQueue() {
    assertChecks("""
        const order = [];
        await new Promise((done) => {
          let pending = 2;
          const finish = () => { if (--pending === 0) done(); };
          setTimeout(() => { order.push('t30'); finish(); }, 30);
          setTimeout(() => order.push('t0'));
          const cancelled = setTimeout(() => order.push('cancelled'), 5);
          clearTimeout(cancelled);
          setTimeout((a, b) => order.push('args:' + a + b), 10, 'x', 'y');
          let n = 0;
          const every = setInterval(() => {
            order.push('i' + (++n));
            if (n === 3) { clearInterval(every); setTimeout(finish, 20); }
          }, 5);
          queueMicrotask(() => order.push('micro'));
        });
        t.push(['order', order.filter((x) => x[0] !== 'i').join(), 'micro,t0,args:xy,t30']);
        t.push(['interval ran three times, then never again', order.filter((x) => x[0] === 'i').join(), 'i1,i2,i3']);
        const started = performance.now();
        await new Promise((r) => setTimeout(r, 20));
        t.push(['waited', performance.now() - started >= 19, true]);
        t.push(['performance.now is whole milliseconds', Number.isInteger(performance.now()), true]);
        t.push(['ids are positive integers', setTimeout(() => {}, 0) > 0, true]);
        let thrown;
        try { setTimeout('code'); } catch (e) { thrown = e.constructor.name; }
        t.push(['a string callback is refused', thrown, 'TypeError']);
        """, 6);
  }

  @Test
  void aTimerPastTheDeadlineNeverRunsInThisOrALaterActivation() {
    String bundle = "late-timer-" + System.nanoTime();
    String source = """
        export async function handler(event) {
          if (event.arm) {
            globalThis.fired = 'no';
            setTimeout(() => { globalThis.fired = 'yes'; console.log('late timer ran'); }, 300);
            await new Promise(() => {});
          }
          await new Promise((r) => setTimeout(r, 500));
          return {statusCode: 200, body: String(globalThis.fired)};
        }
        """;
    ExecutionResult timedOut = runtime.execute(TestRequest.entry(source).bundleId(bundle).warm()
        .event("{\"arm\":true}").timeoutMs(150).build());
    assertTimeout(timedOut, 150);
    assertTrue(timedOut.logs().isEmpty(), () -> "logs: " + timedOut.logs());
    // A timeout discards a warm context, so the next activation gets a fresh one: nothing of the first runs there.
    ExecutionResult next = runtime.execute(TestRequest.entry(source).bundleId(bundle).warm().event("{}").build());
    assertEquals("undefined", assertSuccessBody(next));
    assertTrue(next.logs().isEmpty(), () -> "logs: " + next.logs());
  }

  @Test
  void aWarmContextDropsTheTimersOfTheActivationBefore() {
    String bundle = "warm-timer-" + System.nanoTime();
    String source = """
        export async function handler(event) {
          if (event.arm) {
            globalThis.fired = 'no';
            setTimeout(() => { globalThis.fired = 'yes'; console.log('previous activation timer'); }, 100);
            return {statusCode: 200, body: 'armed'};
          }
          await new Promise((r) => setTimeout(r, 300));
          return {statusCode: 200, body: String(globalThis.fired)};
        }
        """;
    assertEquals("armed", assertSuccessBody(runtime.execute(TestRequest.entry(source).bundleId(bundle).warm()
        .event("{\"arm\":true}").build())));
    ExecutionResult next = runtime.execute(TestRequest.entry(source).bundleId(bundle).warm().event("{}").build());
    assertEquals("no", assertSuccessBody(next));
    assertTrue(next.logs().isEmpty(), () -> "logs: " + next.logs());
  }

  @Test
  void aThrowingTimerCallbackEndsTheActivationAsAnError() {
    assertRuntimeError(runtime.execute(TestRequest.asyncHandler("""
        setTimeout(() => { throw new Error('timer boom'); }, 1);
        await new Promise((r) => setTimeout(r, 50));
        return {statusCode: 200, body: 'survived'};
        """).build()), "timer boom");
  }

  @Test
  void structuredCloneCopiesDeeplyAndRefusesWhatCannotBeCloned() {
    assertChecks("""
        const shared = {n: 1};
        const source = {d: new Date(5), m: new Map([['k', shared]]), s: new Set([1]), a: [shared, shared],
            bytes: new Uint8Array([1, 2]), re: /x/gi, big: 10n, nested: {deep: [1, {x: 'y'}]}};
        source.self = source;
        const copy = structuredClone(source);
        t.push(['a copy', copy !== source && copy.nested !== source.nested, true]);
        t.push(['cycles kept', copy.self === copy, true]);
        t.push(['shared references kept', copy.a[0] === copy.a[1] && copy.m.get('k') === copy.a[0], true]);
        t.push(['date', copy.d instanceof Date && copy.d.getTime(), 5]);
        t.push(['typed array copied', copy.bytes.join() + (copy.bytes.buffer !== source.bytes.buffer), '1,2true']);
        t.push(['regexp', String(copy.re), '/x/gi']);
        t.push(['bigint', copy.big, 10n]);
        t.push(['error', structuredClone(new RangeError('r')) instanceof RangeError, true]);
        const refusal = (v) => { try { structuredClone(v); return 'cloned'; } catch (e) { return e.name; } };
        t.push(['function', refusal(() => 1), 'DataCloneError']);
        t.push(['symbol', refusal(Symbol('s')), 'DataCloneError']);
        t.push(['class instance becomes a plain object',
            Object.getPrototypeOf(structuredClone(new (class A { constructor() { this.x = 1; } })())), Object.prototype]);
        """, 11);
  }

  @Test
  void consoleHasTheWholeApi() {
    ExecutionResult result = runtime.execute(TestRequest.asyncHandler("""
        console.table([{a: 1, b: 'x'}, {a: 2}]);
        console.count(); console.count(); console.count('x');
        console.assert(1 === 2, 'math');
        console.assert(true, 'never');
        console.group('g'); console.info('inside'); console.groupEnd(); console.info('outside');
        console.time('t'); console.timeEnd('t');
        console.dir({k: 1});
        console.timeEnd('missing');
        return {statusCode: 200, body: 'ok'};
        """).build());
    assertSuccessBody(result);
    List<String> lines = result.logs().stream().map(e -> e.level() + " " + e.message()).toList();
    assertEquals("info (index) | a | b\n0 | 1 | x\n1 | 2 | ", lines.get(0));
    assertEquals(List.of("info default: 1", "info default: 2", "info x: 1", "error Assertion failed: math", "info g",
        "info   inside", "info outside"), lines.subList(1, 8));
    assertTrue(lines.get(8).matches("info t: \\d+ms"), lines.get(8));
    assertEquals(List.of("info {\"k\":1}", "warn Timer \"missing\" does not exist"), lines.subList(9, 11));
  }

  @Test
  void cryptoGivesRandomValuesAndDigestsAndHmacFromTheJdk() {
    assertChecks("""
        const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
        const bytes = (s) => new TextEncoder().encode(s);
        const a = crypto.getRandomValues(new Uint8Array(32));
        const b = crypto.getRandomValues(new Uint32Array(8));
        t.push(['random values differ', hex(a) !== hex(b.buffer) && a.some((x) => x !== 0), true]);
        let quota;
        try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { quota = e.name; }
        t.push(['more than 65536 bytes', quota, 'QuotaExceededError']);
        let floats;
        try { crypto.getRandomValues(new Float64Array(2)); } catch (e) { floats = e.name; }
        t.push(['floats are refused', floats, 'TypeMismatchError']);
        const uuid = crypto.randomUUID();
        t.push(['uuid v4 form', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid), true]);
        t.push(['uuids differ', uuid !== crypto.randomUUID(), true]);
        t.push(['sha-1', hex(await crypto.subtle.digest('SHA-1', bytes('abc'))),
            'a9993e364706816aba3e25717850c26c9cd0d89d']);
        t.push(['sha-256', hex(await crypto.subtle.digest({name: 'SHA-256'}, bytes('abc'))),
            'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']);
        t.push(['sha-384 of empty', hex(await crypto.subtle.digest('SHA-384', new Uint8Array(0))).slice(0, 16),
            '38b060a751ac9638']);
        t.push(['sha-512', hex(await crypto.subtle.digest('SHA-512', bytes('abc'))).slice(0, 16), 'ddaf35a193617aba']);
        let md5;
        try { await crypto.subtle.digest('MD5', bytes('abc')); } catch (e) { md5 = e.name; }
        t.push(['md5 is not supported', md5, 'NotSupportedError']);
        // RFC 4231, test case 2
        const key = await crypto.subtle.importKey('raw', bytes('Jefe'), {name: 'HMAC', hash: 'SHA-256'}, false,
            ['sign', 'verify']);
        t.push(['CryptoKey', Object.prototype.toString.call(key) + key.type + key.algorithm.hash.name
            + key.algorithm.length, '[object CryptoKey]secretSHA-25632']);
        const mac = await crypto.subtle.sign('HMAC', key, bytes('what do ya want for nothing?'));
        t.push(['hmac sign', hex(mac), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843']);
        t.push(['hmac verify', await crypto.subtle.verify('HMAC', key, mac, bytes('what do ya want for nothing?')),
            true]);
        t.push(['hmac verify of other data', await crypto.subtle.verify('HMAC', key, mac, bytes('x')), false]);
        const jwkKey = await crypto.subtle.importKey('jwk', {kty: 'oct', k: 'SmVmZQ'},
            {name: 'HMAC', hash: 'SHA-256'}, false, ['verify']);
        t.push(['jwk hmac key', await crypto.subtle.verify('HMAC', jwkKey, mac, bytes('what do ya want for nothing?')),
            true]);
        let usage;
        try { await crypto.subtle.sign('HMAC', jwkKey, bytes('x')); } catch (e) { usage = e.name; }
        t.push(['a verify-only key cannot sign', usage, 'InvalidAccessError']);
        """, 16);
  }

  @Test
  void urlPatternMatchesPathsAndUrlsWithNamedGroupsAsWorkersAndDenoDo() {
    assertChecks("""
        const route = new URLPattern({pathname: '/books/:id(\\\\d+)'});
        t.push(['matches', route.test('https://example.com/books/42'), true]);
        t.push(['a group that does not match', route.test('https://example.com/books/abc'), false]);
        t.push(['the group', route.exec('https://example.com/books/42?x=1').pathname.groups.id, '42']);
        const api = new URLPattern('/api/:version/*', 'https://example.com');
        const result = api.exec('https://example.com/api/v2/users/7');
        t.push(['a string with a base', [result.pathname.groups.version, result.pathname.groups[0]].join(), 'v2,users/7']);
        t.push(['another host does not match', api.test('https://other.example/api/v2/x'), false]);
        t.push(['its parts', new URLPattern({hostname: '{*.}?example.com'}).hostname, '{*.}?example.com']);
        let refused;
        try { new URLPattern({pathname: '/(unclosed'}); } catch (e) { refused = e.name; }
        t.push(['a bad pattern throws', refused, 'TypeError']);
        t.push(['a global of its own part', typeof URLPattern, 'function']);
        """, 8);
  }

  @Test
  void cryptoSubtleTimingSafeEqualComparesBuffersOfOneLengthAsWorkersDoes() {
    assertChecks("""
        const bytes = (s) => new TextEncoder().encode(s);
        const subtle = crypto.subtle;
        t.push(['equal views', subtle.timingSafeEqual(bytes('token'), bytes('token')), true]);
        t.push(['one byte differs', subtle.timingSafeEqual(bytes('token'), bytes('tokem')), false]);
        t.push(['buffers and views', subtle.timingSafeEqual(bytes('ab').buffer, new DataView(bytes('ab').buffer)),
            true]);
        let lengths;
        try { subtle.timingSafeEqual(bytes('a'), bytes('ab')); } catch (e) { lengths = e.name; }
        t.push(['different lengths throw', lengths, 'TypeError']);
        let strings;
        try { subtle.timingSafeEqual('a', 'a'); } catch (e) { strings = e.name; }
        t.push(['strings are refused', strings, 'TypeError']);
        """, 5);
  }

  @Test
  void cryptoSubtleVerifiesEcdsaAndRsaSignaturesMadeByTheJdk() throws Exception {
    byte[] data = "signed payload".getBytes(StandardCharsets.UTF_8);
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ecPair = ec.generateKeyPair();
    Signature ecSigner = Signature.getInstance("SHA256withECDSAinP1363Format");
    ecSigner.initSign(ecPair.getPrivate());
    ecSigner.update(data);
    byte[] ecSignature = ecSigner.sign();
    ECPublicKey ecPublic = (ECPublicKey) ecPair.getPublic();

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsaPair = rsa.generateKeyPair();
    Signature rsaSigner = Signature.getInstance("SHA256withRSA");
    rsaSigner.initSign(rsaPair.getPrivate());
    rsaSigner.update(data);
    byte[] rsaSignature = rsaSigner.sign();
    RSAPublicKey rsaPublic = (RSAPublicKey) rsaPair.getPublic();

    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    Base64.Encoder plain = Base64.getEncoder();
    String event = "{\"x\":\"" + url.encodeToString(unsigned(ecPublic.getW().getAffineX(), 32)) + "\",\"y\":\""
        + url.encodeToString(unsigned(ecPublic.getW().getAffineY(), 32)) + "\",\"ecSpki\":\""
        + plain.encodeToString(ecPublic.getEncoded()) + "\",\"ecSig\":\"" + plain.encodeToString(ecSignature)
        + "\",\"n\":\"" + url.encodeToString(unsigned(rsaPublic.getModulus(), 256)) + "\",\"e\":\""
        + url.encodeToString(rsaPublic.getPublicExponent().toByteArray()) + "\",\"rsaSpki\":\""
        + plain.encodeToString(rsaPublic.getEncoded()) + "\",\"rsaSig\":\"" + plain.encodeToString(rsaSignature)
        + "\"}";
    String body = assertSuccessBody(runtime.execute(TestRequest.asyncHandler("""
        const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const data = new TextEncoder().encode('signed payload');
        const other = new TextEncoder().encode('signed payloaD');
        const ecdsa = {name: 'ECDSA', namedCurve: 'P-256'};
        const jwk = await crypto.subtle.importKey('jwk', {kty: 'EC', crv: 'P-256', x: event.x, y: event.y}, ecdsa,
            true, ['verify']);
        const spki = await crypto.subtle.importKey('spki', b64(event.ecSpki), ecdsa, true, ['verify']);
        const sig = b64(event.ecSig);
        const verify = (key, alg, s, d) => crypto.subtle.verify(alg, key, s, d);
        const rsaAlg = {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'};
        const rsaJwk = await crypto.subtle.importKey('jwk', {kty: 'RSA', n: event.n, e: event.e}, rsaAlg, true,
            ['verify']);
        const rsaSpki = await crypto.subtle.importKey('spki', b64(event.rsaSpki), rsaAlg, true, ['verify']);
        const rsaSig = b64(event.rsaSig);
        let bad;
        try { await crypto.subtle.importKey('jwk', {kty: 'EC', crv: 'P-256', x: event.x, y: event.x}, ecdsa, true,
            ['verify']); bad = 'imported'; } catch (e) { bad = e.name; }
        return {statusCode: 200, body: [
          await verify(jwk, {name: 'ECDSA', hash: 'SHA-256'}, sig, data),
          await verify(spki, {name: 'ECDSA', hash: 'SHA-256'}, sig, data),
          await verify(jwk, {name: 'ECDSA', hash: 'SHA-256'}, sig, other),
          await verify(jwk, {name: 'ECDSA', hash: 'SHA-256'}, sig.slice(1), data),
          await verify(rsaJwk, rsaAlg, rsaSig, data),
          await verify(rsaSpki, rsaAlg, rsaSig, data),
          await verify(rsaJwk, rsaAlg, rsaSig, other),
          rsaJwk.algorithm.modulusLength,
          jwk.algorithm.namedCurve,
          bad,
        ].join()};
        """).event(event).build()));
    assertEquals("true,true,false,false,true,true,false,2048,P-256,DataError", body);
  }

  private static byte[] unsigned(java.math.BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length == length) {
      return bytes;
    }
    byte[] out = new byte[length];
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
    return out;
  }

  @Test
  void headersRequestAndResponseFollowTheFetchStandard() {
    assertChecks("""
        const error = (f) => { try { f(); return 'none'; } catch (e) { return e.constructor.name; } };
        const h = new Headers({'Content-Type': 'text/plain', 'X-A': ' 1 '});
        h.append('x-a', '2');
        h.append('Set-Cookie', 'a=1');
        h.append('set-cookie', 'b=2');
        t.push(['case-insensitive, combined, trimmed', h.get('x-A'), '1, 2']);
        t.push(['set-cookie kept apart', h.getSetCookie().join('|'), 'a=1|b=2']);
        t.push(['sorted iteration', [...h].map(([k, v]) => k + '=' + v).join(';'),
            'content-type=text/plain;set-cookie=a=1;set-cookie=b=2;x-a=1, 2']);
        t.push(['keys, values and forEach in iteration order', [...h.keys()].join() + '|' + [...h.values()].join()
            + '|' + (() => { const seen = []; h.forEach((v, k, o) => seen.push(k + (o === h))); return seen.join(); })(),
            'content-type,set-cookie,set-cookie,x-a|text/plain,a=1,b=2,1, 2'
            + '|content-typetrue,set-cookietrue,set-cookietrue,x-atrue']);
        t.push(['iteration methods are not enumerable', Object.keys(Headers.prototype).join()
            + '|' + Object.keys(FormData.prototype).join() + '|' + Headers.prototype.keys.name, '||keys']);
        t.push(['invalid name', error(() => h.set('bad name', 'x')), 'TypeError']);
        t.push(['CR LF in a value', error(() => h.set('x', 'a\\r\\nb')), 'TypeError']);
        const req = new Request('https://api.example.com/items?q=1', {method: 'post', body: '{"a":1}',
            headers: {'content-type': 'application/json'}});
        t.push(['method normalized', req.method, 'POST']);
        t.push(['url', req.url, 'https://api.example.com/items?q=1']);
        t.push(['url normalized by the parser', new Request('HTTPS://API.example.com:443/a/../b').url,
            'https://api.example.com/b']);
        const copy = req.clone();
        t.push(['json', (await req.json()).a, 1]);
        t.push(['bodyUsed', req.bodyUsed, true]);
        t.push(['read twice', await req.text().then(() => 'read', (e) => e.constructor.name), 'TypeError']);
        t.push(['clone has its own body', await copy.text(), '{"a":1}']);
        t.push(['GET with a body', error(() => new Request('http://a/', {body: 'x'})), 'TypeError']);
        t.push(['relative URL', error(() => new Request('/relative')), 'TypeError']);
        const res = new Response('h\\u00e9', {status: 201, statusText: 'Created', headers: [['x-b', '1']]});
        t.push(['response', [res.status, res.ok, res.statusText, res.headers.get('x-b'),
            res.headers.get('content-type'), res.type].join('|'), '201|true|Created|1|text/plain;charset=UTF-8|default']);
        t.push(['bytes', [...await res.bytes()].join(), '104,195,169']);
        t.push(['status out of range', error(() => new Response('', {status: 600})), 'RangeError']);
        t.push(['204 with a body', error(() => new Response('x', {status: 204})), 'TypeError']);
        const json = Response.json({ok: true}, {status: 202});
        t.push(['Response.json', json.status + ' ' + json.headers.get('content-type') + ' ' + await json.text(),
            '202 application/json {"ok":true}']);
        const redirect = Response.redirect('https://example.com/next', 307);
        t.push(['Response.redirect', redirect.status + ' ' + redirect.headers.get('location'),
            '307 https://example.com/next']);
        t.push(['redirect headers are immutable', error(() => redirect.headers.set('x', '1')), 'TypeError']);
        t.push(['Response.error', Response.error().type + Response.error().status, 'error0']);
        t.push(['arrayBuffer', (await new Response(new Uint8Array([1, 2, 3])).arrayBuffer()).byteLength, 3]);
        const blob = await new Response('abc', {headers: {'content-type': 'text/x'}}).blob();
        t.push(['blob', blob.size + ' ' + blob.type + ' ' + await blob.slice(1).text(), '3 text/x bc']);
        const form = await new Response('a=1&b=%C3%A9&a=2',
            {headers: {'content-type': 'application/x-www-form-urlencoded'}}).formData();
        t.push(['urlencoded formData', form.getAll('a').join() + form.get('b'), '1,2\\u00e9']);
        const fd = new FormData();
        fd.append('name', 'v');
        fd.append('file', new Blob(['content'], {type: 'text/plain'}), 'f.txt');
        t.push(['formData keys, values and forEach', [...fd.keys()].join() + '|' + typeof [...fd.values()][1]
            + '|' + (() => { const seen = []; fd.forEach((v, k) => seen.push(k)); return seen.join(); })()
            + '|' + [...fd].length, 'name,file|object|name,file|2']);
        const multipart = new Response(fd);
        const parsed = await multipart.formData();
        t.push(['multipart round trip', parsed.get('name') + '|' + parsed.get('file').name + '|'
            + await parsed.get('file').text(), 'v|f.txt|content']);
        const streamed = new Response(new ReadableStream({
          start(c) { c.enqueue(new TextEncoder().encode('a')); c.enqueue(new TextEncoder().encode('b')); c.close(); },
        }));
        t.push(['a ReadableStream body', await streamed.text(), 'ab']);
        const reader = new Response('xyz').body.getReader();
        const first = await reader.read();
        t.push(['body as a stream', new TextDecoder().decode(first.value) + (await reader.read()).done, 'xyztrue']);
        """, 31);
  }

  @Test
  void abortSignalsAbortAndTimeOut() {
    assertChecks("""
        const c = new AbortController();
        const seen = [];
        c.signal.addEventListener('abort', (e) => seen.push(e.type));
        c.signal.onabort = () => seen.push('onabort');
        c.abort();
        c.abort();
        t.push(['aborted once', c.signal.aborted + ' ' + seen.join(), 'true onabort,abort']);
        t.push(['default reason', c.signal.reason.name, 'AbortError']);
        t.push(['throwIfAborted', (() => { try { c.signal.throwIfAborted(); } catch (e) { return e.name; } })(),
            'AbortError']);
        t.push(['AbortSignal.abort(reason)', AbortSignal.abort('why').reason, 'why']);
        const timed = AbortSignal.timeout(10);
        await new Promise((r) => timed.addEventListener('abort', r));
        t.push(['AbortSignal.timeout', timed.reason.name, 'TimeoutError']);
        const any = AbortSignal.any([new AbortController().signal, AbortSignal.abort('first')]);
        t.push(['AbortSignal.any', any.reason, 'first']);
        t.push(['no constructor', (() => { try { new AbortSignal(); } catch (e) { return e.constructor.name; } })(),
            'TypeError']);
        t.push(['aborted fetch rejects with the reason',
            await fetch('https://example.com/', {signal: AbortSignal.abort('stop')}).then(() => 'ok', (e) => e),
            'stop']);
        const target = new EventTarget();
        let count = 0;
        target.addEventListener('x', () => count++, {once: true});
        target.dispatchEvent(new Event('x'));
        target.dispatchEvent(new Event('x'));
        t.push(['once listener', count, 1]);
        """, 9);
  }

  @Test
  void selfNavigatorCustomEventAndReportErrorAreThereAsInAWorker() {
    assertChecks("""
        t.push(['self is the global object', self === globalThis, true]);
        t.push(['navigator.userAgent', navigator.userAgent, 'code-sous']);
        t.push(['one core, whatever the host has', navigator.hardwareConcurrency, 1]);
        const target = new EventTarget();
        let detail;
        target.addEventListener('order', (e) => { detail = e.detail; });
        target.dispatchEvent(new CustomEvent('order', {detail: {id: 7}}));
        t.push(['CustomEvent carries its detail', detail.id, 7]);
        t.push(['a CustomEvent is an Event', new CustomEvent('x') instanceof Event, true]);
        t.push(['detail defaults to null', new CustomEvent('x').detail, null]);
        t.push(['reportError needs an argument', (() => { try { reportError(); return 'none'; }
            catch (e) { return e.constructor.name; } })(), 'TypeError']);
        """, 7);
  }

  @Test
  void anErrorGivenToReportErrorEndsTheActivationAsAnUncaughtOneDoes() {
    ExecutionResult result = runtime.execute(TestRequest.asyncHandler("""
        reportError(new Error('reported, not thrown'));
        return {statusCode: 200, body: 'went on'};
        """).build());
    assertRuntimeError(result, "unhandled promise rejection: Error: reported, not thrown");
  }

  @Test
  void globalsAreBuiltOnFirstUseAndCanBeReplaced() {
    assertChecks("""
        const lazy = Object.getOwnPropertyDescriptor(globalThis, 'URL');
        t.push(['an accessor until used', typeof lazy.get, 'function']);
        t.push(['not enumerable', Object.keys(globalThis).includes('URL'), false]);
        URL;
        t.push(['a value once used', typeof Object.getOwnPropertyDescriptor(globalThis, 'URL').value, 'function']);
        globalThis.fetch = 'replaced';
        t.push(['assignable', fetch, 'replaced']);
        t.push(['Java stays absent', typeof Java + typeof Polyglot, 'undefinedundefined']);
        """, 5);
  }

  @Test
  void bufferIsNodesBufferAndWorksWithTheWebApis() {
    assertChecks("""
        t.push(['an accessor until used', typeof Object.getOwnPropertyDescriptor(globalThis, 'Buffer').get,
            'function']);
        const text = Buffer.from('h\u00e9llo \u2713');
        t.push(['utf-8 to base64', text.toString('base64'), 'aMOpbGxvIOKckw==']);
        t.push(['base64 back to text', Buffer.from('aMOpbGxvIOKckw==', 'base64').toString(), 'h\u00e9llo \u2713']);
        t.push(['base64url', Buffer.from([251, 255]).toString('base64url') + ' '
            + Buffer.from('-_8', 'base64url').join() + ' ' + Buffer.isEncoding('base64url'), '-_8 251,255 true']);
        t.push(['hex', Buffer.from([1, 2, 255]).toString('hex'), '0102ff']);
        t.push(['latin1 and byte length', Buffer.from('h\u00e9llo', 'latin1').length + ' '
            + Buffer.byteLength('h\u00e9llo'), '5 6']);
        t.push(['a Uint8Array', text instanceof Uint8Array && Buffer.isBuffer(text) && !Buffer.isBuffer(
            new Uint8Array(1)), true]);
        const b = Buffer.alloc(6);
        b.writeUInt32BE(0xdeadbeef, 0);
        b.writeInt16LE(-2, 4);
        t.push(['writes', b.toString('hex'), 'deadbeeffeff']);
        t.push(['reads', b.readUInt32BE(0) === 0xdeadbeef && b.readInt16LE(4), -2]);
        t.push(['64-bit reads', Buffer.from('0000000000000102', 'hex').readBigUInt64BE(), 258n]);
        t.push(['concat and subarray', Buffer.concat([Buffer.from('hello '), Buffer.from('world')]).subarray(6)
            .toString(), 'world']);
        t.push(['equals and compare', Buffer.from('abc').equals(Buffer.from([97, 98, 99])) + ' '
            + Buffer.compare(Buffer.from('a'), Buffer.from('b')), 'true -1']);
        t.push(['JSON', JSON.stringify(Buffer.from([1, 2])), '{"type":"Buffer","data":[1,2]}']);
        t.push(['TextDecoder reads it', new TextDecoder().decode(text), 'h\u00e9llo \u2713']);
        const digest = Buffer.from(await crypto.subtle.digest('SHA-256', Buffer.from('abc')));
        t.push(['crypto digests it', digest.toString('hex'),
            'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']);
        t.push(['a Response body', await new Response(Buffer.from('hi')).text(), 'hi']);
        t.push(['a value once used', typeof Object.getOwnPropertyDescriptor(globalThis, 'Buffer').value, 'function']);
        """, 17);
  }

  @Test
  void processEnvHoldsTheManifestEnvValuesAndNoSecret() {
    String module = """
        const region = process.env.REGION;
        let calls = 0;
        export function handler(event, ctx) {
          calls++;
          process.env.SEEN = 'yes';
          return { statusCode: 200, body: [region, process.env.TABLE, typeof process.env.API_KEY, ctx.secrets.API_KEY,
              Object.keys(process.env).sort().join('+'), typeof process.version, calls].join() };
        }
        """;
    Map<String, String> env = Map.of("REGION", "eu", "TABLE", "orders");
    Map<String, String> secrets = Map.of("API_KEY", "s3cret");

    assertEquals("eu,orders,undefined,s3cret,REGION+SEEN+TABLE,undefined,1",
        assertSuccessBody(runtime.execute(TestRequest.entry(module).env(env).secrets(secrets).build())));
    TestRequest warm = TestRequest.entry(module).env(env).secrets(secrets).warm();
    assertEquals("eu,orders,undefined,s3cret,REGION+SEEN+TABLE,undefined,1",
        assertSuccessBody(runtime.execute(warm.build())));
    // a warm context is the version's, as on Node.js: what the function wrote into process.env is still there
    assertEquals("eu,orders,undefined,s3cret,REGION+SEEN+TABLE,undefined,2",
        assertSuccessBody(runtime.execute(warm.build())));
    assertEquals(",,undefined,s3cret,SEEN,undefined,1",
        assertSuccessBody(runtime.execute(TestRequest.entry(module).secrets(secrets).build())));
  }

  @Test
  void processNextTickRunsItsCallbackAsAMicrotaskWithItsArguments() {
    assertChecks("""
        const order = [];
        process.nextTick((a, b) => order.push('tick ' + a + b), 1, 2);
        order.push('sync');
        await null;
        t.push(['after the synchronous code, with its arguments', order.join(), 'sync,tick 12']);
        let refused;
        try { process.nextTick('not a function'); } catch (e) { refused = e.name; }
        t.push(['a callback that is no function', refused, 'TypeError']);
        t.push(['built on first use', typeof Object.getOwnPropertyDescriptor(globalThis, 'process').value, 'object']);
        """, 3);
  }

  @Test
  void aBufferLargerThanTheBudgetAllowsIsRefusedOrEndsAtTheMemoryBudget() {
    // past the context's cap on a single allocation: a RangeError the function could catch
    assertRuntimeError(runtime.execute(TestRequest.asyncHandler(
            "return { statusCode: 200, body: String(Buffer.alloc(2 ** 31 - 1).length) };").build()),
        "RangeError: Invalid typed array length: 2147483647");
    assertRuntimeError(runtime.execute(TestRequest.asyncHandler(
            "return { statusCode: 200, body: String(Buffer.from({ length: 1e9 }).length) };").build()),
        "RangeError: Invalid typed array length: 1000000000");
    // many allocations each under the cap: the memory budget ends the activation
    ExecutionResult many = runtime.execute(TestRequest.asyncHandler("""
        const b = Buffer.concat(Array.from({ length: 1e6 }, () => Buffer.alloc(1000)));
        return { statusCode: 200, body: String(b.length) };
        """).build());
    assertEquals(ExecutionStatus.MEMORY_LIMIT, many.status(), () -> many.status() + " " + many.errorMessage());
    assertEquals(ErrorCodes.CS_MEMORY_LIMIT, many.errorCode());
  }

  @Test
  void theOtherWebApisLeaveBufferUnbuilt() {
    assertChecks("""
        const url = new URL('https://example.com/caf\u00e9?q=%C3%A9#x');
        new URLSearchParams('a=1&b=%20').toString();
        new TextDecoder().decode(new TextEncoder().encode(url.href));
        await new Response('x').arrayBuffer();
        atob(btoa('x'));
        t.push(['still an accessor', typeof Object.getOwnPropertyDescriptor(globalThis, 'Buffer').get, 'function']);
        """, 1);
  }

  @Test
  void fetchGoesThroughTheCapabilityCallWithHeadersAndBody() {
    HostBindingsRecorder bindings = new HostBindingsRecorder(
        new HostFetchResponse(200, Map.of("Content-Type", List.of("application/json")),
            "{\"answer\":42}".getBytes(StandardCharsets.UTF_8), "https://api.example.com/x"));
    String body = assertSuccessBody(runtime.execute(TestRequest.asyncHandler("""
        const res = await fetch('https://api.example.com/x', {method: 'PUT', headers: {'X-K': 'v'},
            body: new Uint8Array([1, 2, 3])});
        return {statusCode: 200, body: [res.status, res.ok, res.url, res.headers.get('content-type'),
            (await res.json()).answer].join('|')};
        """).bindings(bindings).build()));
    assertEquals("200|true|https://api.example.com/x|application/json|42", body);
    HostFetchRequest sent = bindings.requests.get(0);
    assertEquals("PUT https://api.example.com/x", sent.method() + " " + sent.url());
    assertEquals("v", sent.headers().get("x-k"));
    assertTrue(Arrays.equals(new byte[] {1, 2, 3}, sent.body()));
  }

  @Test
  void aFetchedResponsesCookiesComeOneByOneFromGetSetCookieThoughAnExpiresDateHoldsAComma() {
    HostBindingsRecorder bindings = new HostBindingsRecorder(new HostFetchResponse(200, Map.of("Set-Cookie",
        List.of("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"), "X-Other", List.of("x")), new byte[0],
        "https://api.example.com/login"));
    String body = assertSuccessBody(runtime.execute(TestRequest.asyncHandler("""
        const res = await fetch('https://api.example.com/login');
        return {statusCode: 200, body: JSON.stringify([res.headers.getSetCookie(), res.headers.get('set-cookie'),
            res.headers.get('x-other')])};
        """).bindings(bindings).build()));
    assertEquals("[[\"a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT\",\"b=2\"],"
        + "\"a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=2\",\"x\"]", body);
  }

  @Test
  void aRefusedFetchRejectsWithATypeErrorCarryingTheRefusal() {
    HostBindingsRecorder bindings = new HostBindingsRecorder(null);
    String body = assertSuccessBody(runtime.execute(TestRequest.asyncHandler("""
        const outcome = await fetch('http://127.0.0.1:9/').then(() => 'fetched', (e) => e.constructor.name + ':'
            + e.cause.code);
        return {statusCode: 200, body: outcome};
        """).bindings(bindings).build()));
    assertEquals("TypeError:" + HostBindingsRecorder.DENIED, body);
  }

  @Test
  void aWorkersStyleFetchHandlerGetsARequestEnvAndContext() {
    String body = run2("""
        export default {
          async fetch(request, env, ctx) {
            ctx.waitUntil(new Promise((r) => setTimeout(r, 20)).then(() => console.log('waited')));
            return Response.json({
              method: request.method,
              url: request.url,
              header: request.headers.get('x-test'),
              body: await request.text(),
              env: [env.API_URL, env.token, typeof ctx.passThroughOnException].join(),
            }, {headers: {'x-out': 'yes'}});
          },
        };
        """, "{\"httpMethod\":\"POST\",\"proxyPath\":\"/a/b\",\"headers\":{\"host\":\"fn.example\","
            + "\"x-test\":\"1\"},\"multiValueQueryStringParameters\":{\"q\":[\"x y\",\"2\"]},\"body\":\"hi\","
            + "\"isBase64Encoded\":false}");
    assertEquals("{\"method\":\"POST\",\"url\":\"http://fn.example/a/b?q=x+y&q=2\",\"header\":\"1\","
        + "\"body\":\"hi\",\"env\":\"https://api.example.com,tok,function\"}", body);
  }

  private static String run2(String module, String event) {
    ExecutionResult result = runtime.execute(TestRequest.entry(module).event(event)
        .env(Map.of("API_URL", "https://api.example.com")).secrets(Map.of("token", "tok")).build());
    String body = assertSuccessBody(result);
    assertTrue(result.responseJson().contains("\"x-out\":\"yes\""), result.responseJson());
    assertEquals(List.of("waited"), result.logs().stream().map(LogEntry::message).toList());
    return body;
  }

  @Test
  void waitUntilWorkThatOutlivesTheDeadlineIsStoppedAndTheResponseStands() {
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        export default {
          fetch(request, env, ctx) {
            ctx.waitUntil(new Promise(() => {}));
            ctx.waitUntil(Promise.reject(new Error('background failed')));
            return new Response('answered');
          },
        };
        """).timeoutMs(3_000).build());
    // 3 s, not 1: the handler's first Response loads the fetch globals into the fresh context, which on a cold,
    // loaded JVM took over a second before the handler could answer (a TIMEOUT, not the stopped background work)
    assertEquals("answered", assertSuccessBody(result));
    assertEquals(List.of("error ctx.waitUntil: a promise rejected: Error: background failed",
            "warn [cs] ctx.waitUntil work did not finish before the deadline; it was stopped"),
        result.logs().stream().map(e -> e.level() + " " + e.message().split("\n")[0]).toList());
  }

  @Test
  void aBinaryWorkersResponseIsBase64Encoded() {
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        export default { fetch: () => new Response(new Uint8Array([0, 255, 1]),
            {headers: {'content-type': 'application/octet-stream'}}) };
        """).build());
    assertSuccessBody(result);
    assertTrue(result.responseJson().contains("\"body\":\"AP8B\",\"isBase64Encoded\":true"), result.responseJson());
  }

  @Test
  void aWorkersHandlerThatReturnsNoResponseIsAnError() {
    assertRuntimeError(runtime.execute(TestRequest.entry("export default { fetch() { return {statusCode: 200}; } };")
        .build()), "the fetch handler must return a Response");
  }

  @Test
  void aNamedHandlerStillWinsOverAFetchMethod() {
    assertEquals("handler", assertSuccessBody(runtime.execute(TestRequest.entry("""
        export function handler() { return {statusCode: 200, body: 'handler'}; }
        export default { fetch: () => new Response('fetch') };
        """).build())));
  }

  @Test
  void theManifestEnvReachesAHandlerAsCtxEnv() {
    assertEquals("https://api.example.com|true", assertSuccessBody(runtime.execute(TestRequest.handler(
            "return {statusCode: 200, body: ctx.env.API_URL + '|' + Object.isFrozen(ctx.env)};")
        .env(Map.of("API_URL", "https://api.example.com")).build())));
  }
}
