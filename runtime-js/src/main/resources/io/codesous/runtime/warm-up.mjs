// The runtime's warm-up function (JsRuntime#warmUp): run a few times in fresh contexts when a server starts, so the
// JVM has compiled the engine's parser, interpreter and regular-expression compiler before the first function
// arrives. whatwg-url.mjs is the runtime's own whatwg-url bundle given as a module of its own each round: an esbuild
// bundle of npm code, parsed anew and its top level evaluated, as a function's bundle is. The handler compiles
// regular expressions of the kind bundles hold by the thousand, then uses the Web platform APIs a function typically
// reaches for, so their scripts are evaluated too.
import whatwgUrl from './whatwg-url.mjs';

// Words in several scripts, for regular expressions like the ones bundles carry by the thousand (a date library's
// locales: case-insensitive alternations of month and day names), new patterns each round so none is cached.
const WORDS = ['january', 'février', 'märz', 'апрель', 'mayıs', 'يونيو', 'ιούλιος', '八月', 'září', 'październik',
  'nov', 'dez', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'am', 'pm', 'ago', 'in', 'th', 'st', 'nd', 'rd'];

function expressions(round) {
  const made = [];
  for (let i = 0; i < 300; i++) {
    const a = WORDS[i % WORDS.length];
    const b = WORDS[(i * 7 + round) % WORDS.length];
    made.push(new RegExp(`^(${a}|${b}${i}|${round}${b.slice(1)})`, 'i'));
    made.push(new RegExp(`^(\\d{1,${1 + i % 4}})(${a}|${b})?[-/.\\s]*${round}`, i % 3 ? 'i' : 'iu'));
    made.push(new RegExp(`[${a}]+|(?:${b}){2,}|\\b${i}\\w*\\b`, 'g'));
  }
  return made.filter((re) => re.test(`${WORDS[round % WORDS.length]} 12 ${round}`)).length;
}

export async function handler(event) {
  const matched = expressions(event.round);
  const bundled = whatwgUrl(TextEncoder, TextDecoder);
  const parsed = new bundled.URL('https://user:pw@example.com:8443/a/./b/../c?x=1&y=%20z#frag');
  const url = new URL(`/orders/${event.round}?customer=ada&days=5`, 'https://api.example.com');
  const params = new URLSearchParams(url.search);
  params.append('locale', 'de');
  params.sort();
  const text = `${parsed.pathname} ${params} ${url.host} ünïcødé ✓`;
  const bytes = new TextEncoder().encode(text);
  const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const encoded = btoa(unescape(encodeURIComponent(decoded)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const key = await crypto.subtle.importKey('raw', digest, { name: 'HMAC', hash: 'SHA-256' }, false,
    ['sign', 'verify']);
  const signature = await crypto.subtle.sign('HMAC', key, bytes);
  const verified = await crypto.subtle.verify('HMAC', key, signature, bytes);
  const headers = new Headers({ 'content-type': 'application/json', 'x-round': String(event.round) });
  const request = new Request(url, { method: 'POST', headers, body: JSON.stringify({ text }) });
  const body = await request.json();
  const copy = structuredClone({ body, when: new Date(0), tags: new Set(['a', 'b']), map: new Map([[1, [2]]]) });
  await new Promise((resolve) => setTimeout(resolve, 0));
  await null;
  const ids = [crypto.randomUUID(), ...crypto.getRandomValues(new Uint8Array(4))];
  const words = decoded.split(/\s+/).map((w) => w.toUpperCase()).filter(Boolean).sort();
  const response = new Response(JSON.stringify({ words, ids, encoded, verified, copy, matched }), { headers });
  return {
    statusCode: response.status,
    headers: { 'content-type': response.headers.get('content-type') },
    body: await response.text(),
  };
}
