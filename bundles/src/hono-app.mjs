// A small Hono app, exported as Hono apps are: `export default app` (an object with fetch(request, env, ctx)).
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('hono root'));
app.get('/hello/:name', (c) => c.json({ hello: c.req.param('name'), q: c.req.query('q') ?? null }));
app.post('/echo', async (c) => c.json({ received: await c.req.json() }, 201));
app.get("/env", (c) => c.text(c.env.GREETING));

export default app;
