// A realistic function built from popular npm packages, for the benchmark (bench/run.sh --bundle): it validates
// the request with zod, routes it with Hono's RegExpRouter, computes and formats dates with date-fns (every
// function and locale, as an app that formats for its users' locales ships them), mints ids with uuid and an
// unsecured JWT with jose, and decodes it back. The module's top level builds the schema and the router once.
import './lib/web-shims.mjs';
import * as dateFns from 'date-fns';
import * as locales from 'date-fns/locale';
import { z } from 'zod';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { v5 as uuidv5, v7 as uuidv7, validate as uuidValidate } from 'uuid';
import { UnsecuredJWT, decodeJwt, base64url } from 'jose';

const NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

const Order = z.object({
  customer: z.string().min(1).max(64),
  email: z.email(),
  items: z.array(z.object({ sku: z.string().regex(/^[A-Z]{3}-\d{4}$/), quantity: z.number().int().positive() }))
    .min(1).max(50),
  deliverInDays: z.number().int().min(0).max(365).default(3),
  locale: z.string().default('enUS'),
});

const router = new RegExpRouter();
router.add('GET', '/orders/:id', 'show');
router.add('POST', '/orders', 'create');
router.add('GET', '/customers/:customer/orders/:id', 'customerOrder');
router.add('GET', '/health', 'health');
router.add('ALL', '*', 'fallback');

const BASE = new Date(Date.UTC(2026, 0, 15, 12, 0, 0));

export async function handler(event) {
  const query = event.queryStringParameters || {};
  const path = event.proxyPath || '/';
  const [matches] = router.match(event.httpMethod || 'GET', path);
  const route = matches.length > 0 ? matches[0][0] : 'none';

  const input = {
    customer: query.customer || 'ada',
    email: (query.customer || 'ada') + '@example.com',
    items: [{ sku: 'ABC-0001', quantity: 2 }, { sku: 'XYZ-0042', quantity: Number(query.n || 1) }],
    deliverInDays: Number(query.days || 5),
    locale: query.locale || 'de',
  };
  const parsed = Order.safeParse(input);
  if (!parsed.success) {
    return { statusCode: 400, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: z.prettifyError(parsed.error) }) };
  }
  const order = parsed.data;

  const locale = locales[order.locale] || locales.enUS;
  const due = dateFns.addBusinessDays(BASE, order.deliverInDays);
  const formatted = dateFns.format(due, 'PPPPpppp', { locale });
  const relative = dateFns.formatDistanceStrict(due, BASE, { locale, addSuffix: true });
  const weekNumber = dateFns.getISOWeek(due);

  const orderId = uuidv5(order.customer + ':' + order.items.map((i) => i.sku).join(','), NAMESPACE);
  const traceId = uuidv7();
  const token = new UnsecuredJWT({ sub: order.customer, oid: orderId, due: due.toISOString() })
    .setIssuedAt(Math.floor(BASE.getTime() / 1000)).setIssuer('popular').setExpirationTime('2h').encode();
  const claims = decodeJwt(token);

  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      route, orderId, validId: uuidValidate(traceId), due: formatted, relative, weekNumber,
      subject: claims.sub, tokenBytes: base64url.decode(token.split('.')[1]).length,
      quantity: order.items.reduce((n, i) => n + i.quantity, 0),
    }),
  };
}
