// Soak load client (Node 20, no packages): N parallel clients each run the full connector cycle in a loop until the
// time is up: sign in, authorize + consent, code exchange, MCP initialize / tools/list / tools/call, refresh,
// revoke. Prints one JSON line of figures. Usage: node soak-client.mjs BASE_URL CREDENTIALS_JSON CLIENTS SECONDS
import { readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';

const [base, credentialsFile, clientsArg = '8', secondsArg = '600'] = process.argv.slice(2);
const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
const consumer = credentials.consumer;
const users = credentials.users;
const callback = 'http://127.0.0.1/callback';
const deadline = Date.now() + Number(secondsArg) * 1000;
const stats = { requests: 0, errors: 0, cycles: 0, byStatus: {}, firstErrors: [] };

const b64url = buf => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const decode = s => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const hidden = html => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(m => [decode(m[1]), decode(m[2])]));

async function call(jar, path, { method = 'GET', form, json, headers = {}, expect }) {
  const h = { ...headers };
  if (jar.size) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let body;
  if (form) { body = new URLSearchParams(form).toString(); h['content-type'] = 'application/x-www-form-urlencoded'; }
  if (json) { body = JSON.stringify(json); h['content-type'] = 'application/json'; }
  const response = await fetch(base + path, { method, headers: h, body, redirect: 'manual' });
  for (const c of response.headers.getSetCookie()) { const [pair] = c.split(';'); const i = pair.indexOf('='); jar.set(pair.slice(0, i), pair.slice(i + 1)); }
  const text = await response.text();
  stats.requests++;
  stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
  if (!expect.includes(response.status)) {
    stats.errors++;
    if (stats.firstErrors.length < 10) stats.firstErrors.push(`${method} ${path.split('?')[0]} -> ${response.status} ${text.slice(0, 200)}`);
    throw new Error('unexpected status');
  }
  return { response, text };
}

async function mcp(token, message) {
  return call(new Map(), '/mcp/oauth/fractal-one', {
    method: 'POST', json: message, expect: [200, 202],
    headers: { authorization: `Bearer ${token}`, accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
  });
}

async function cycle(user) {
  const jar = new Map();
  const signInPage = await call(jar, '/account/sign-in', { expect: [200] });
  await call(jar, '/account/sign-in', { method: 'POST', form: { ...hidden(signInPage.text), email: user.email, password: user.password }, expect: [303] });
  const verifier = b64url(randomBytes(32));
  const query = new URLSearchParams({
    response_type: 'code', client_id: consumer.client_id, redirect_uri: callback, state: b64url(randomBytes(8)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
    resource: `${base}/mcp/oauth/fractal-one`, scope: 'maintenance.read maintenance.write offline_access',
  });
  const consent = await call(jar, `/oauth/authorize?${query}`, { expect: [200] });
  const approved = await call(jar, '/oauth/authorize', { method: 'POST', form: { ...hidden(consent.text), decision: 'approve', allow_write: 'yes' }, expect: [302, 303] });
  const code = new URL(approved.response.headers.get('location')).searchParams.get('code');
  const client = { client_id: consumer.client_id, client_secret: consumer.client_secret };
  const tokens = JSON.parse((await call(new Map(), '/oauth/token', { method: 'POST', form: { ...client, grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: callback }, expect: [200] })).text);
  await mcp(tokens.access_token, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'soak', version: '1' } } });
  await mcp(tokens.access_token, { jsonrpc: '2.0', method: 'notifications/initialized' });
  await mcp(tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
  const calls = [['list_work_orders', {}], ['list_assets', {}], ['get_kpis', { from: '2025-07-01', to: '2026-07-01' }]];
  for (const [i, [name, args]] of calls.entries())
    await mcp(tokens.access_token, { jsonrpc: '2.0', id: 3 + i, method: 'tools/call', params: { name, arguments: args } });
  const refreshed = JSON.parse((await call(new Map(), '/oauth/token', { method: 'POST', form: { ...client, grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, expect: [200] })).text);
  await mcp(refreshed.access_token, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'search', arguments: { query: 'pump' } } });
  await call(new Map(), '/oauth/revoke', { method: 'POST', form: { ...client, token: refreshed.refresh_token }, expect: [200] });
  stats.cycles++;
}

async function worker(index) {
  const user = users[index % users.length];
  while (Date.now() < deadline) {
    try { await cycle(user); } catch (e) { if (!String(e.message).includes('unexpected status')) { stats.errors++; if (stats.firstErrors.length < 10) stats.firstErrors.push(String(e)); } }
  }
}

await Promise.all(Array.from({ length: Number(clientsArg) }, (_, i) => worker(i)));
console.log(JSON.stringify(stats));
