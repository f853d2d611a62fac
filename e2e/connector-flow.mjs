// A connector's whole life against Fractal One, as ChatGPT or Claude lives it, driven by the official MCP
// TypeScript SDK client with headless Chromium doing the people's part. README's "Connect ChatGPT" and
// "Connect Claude" list the same steps.
//
//   FRACTAL_FLOW=chatgpt|client-secret-basic|public|claude   which client to simulate (default chatgpt)
//   FRACTAL_BASE_URL        the app (issuer), e.g. http://localhost:7071
//   FRACTAL_ADMIN_EMAIL / FRACTAL_ADMIN_PASSWORD     an administrator (creates the consumer, later revokes)
//   FRACTAL_USER_EMAIL / FRACTAL_USER_PASSWORD       the person who connects (needs a write permission)
//   FRACTAL_STATUS_CACHE_SECONDS   the server's OAuth:StatusCacheSeconds (bound on noticing a revocation)
//   FRACTAL_CLOCK_CONTROL=stdio    the host moves the server clock on request (see lib/clock.mjs)
//   CHROMIUM_PATH           default /usr/bin/chromium
//
// Prints one line per step; exits 0 with "PASS ..." or 1 with "FAIL at step ...".
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  UnauthorizedError, discoverOAuthServerInfo, exchangeAuthorization, extractWWWAuthenticateParams, refreshAuthorization, startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { check, equal, note, run, skip, step } from './lib/steps.mjs';
import { advanceServerClock, canMoveClock, closeClockChannel } from './lib/clock.mjs';
import { authorizeInBrowser, createConsumer, launchBrowser, newContext, revokeAuthorization } from './lib/browser.mjs';
import { ConnectorProvider, clientAuthOf, describe, tracingFetch } from './lib/client.mjs';

const FLOWS = {
  chatgpt: {
    title: "ChatGPT's way (client_secret_post, stable callback, ChatGPT's habits)",
    callbackUrl: 'https://chatgpt.com/connector_platform_oauth_redirect',
    clientType: 'confidential', authMethod: 'client_secret_post', chatgptHabits: true,
  },
  'client-secret-basic': {
    title: 'a confidential client authenticating with client_secret_basic',
    callbackUrl: 'https://chatgpt.com/connector_platform_oauth_redirect',
    clientType: 'confidential', authMethod: 'client_secret_basic',
  },
  public: {
    title: 'a public client (token_endpoint_auth_method none + PKCE, loopback callback on its own port)',
    callbackUrl: 'http://127.0.0.1:47813/callback', registeredCallbackUrl: 'http://127.0.0.1/callback',
    clientType: 'public', authMethod: 'none',
  },
  claude: {
    title: "Claude's way (client_secret_post, Claude's callback, offline_access)",
    callbackUrl: 'https://claude.ai/api/mcp/auth_callback',
    clientType: 'confidential', authMethod: 'client_secret_post',
  },
};

const flowName = process.env.FRACTAL_FLOW ?? 'chatgpt';
const flow = FLOWS[flowName];
if (!flow) {
  console.log(`Unknown FRACTAL_FLOW ${flowName}; one of ${Object.keys(FLOWS).join(', ')}`);
  process.exit(2);
}
const baseUrl = (process.env.FRACTAL_BASE_URL ?? 'http://localhost:7071').replace(/\/$/, '');
const mcpUrl = `${baseUrl}/mcp/oauth/fractal-one`;
const admin = { email: process.env.FRACTAL_ADMIN_EMAIL ?? 'admin@andes.demo', password: process.env.FRACTAL_ADMIN_PASSWORD ?? 'Andes-Admin-2026' };
const person = { email: process.env.FRACTAL_USER_EMAIL ?? 'tecnico@andes.demo', password: process.env.FRACTAL_USER_PASSWORD ?? 'Andes-Tecnico-2026' };
const statusBoundSeconds = Number(process.env.FRACTAL_STATUS_CACHE_SECONDS ?? '60');
const defaultScopes = 'maintenance.read maintenance.write offline_access';
const consumerName = `${flowName} e2e ${randomBytes(3).toString('hex')}`;

/** ChatGPT has sent 521-character states; send 600. Others send a usual one. */
const makeState = () => randomBytes(flow.chatgptHabits ? 450 : 32).toString('base64url');

await run(`connector flow "${flowName}": ${flow.title}`, async () => {
  const trace = [];
  const traced = tracingFetch(trace);
  const browser = await launchBrowser();
  try {
    const adminPage = await (await newContext(browser)).newPage();
    const personBrowser = await newContext(browser);
    let consumer;

    await step('an admin creates the consumer in Settings › API Connections › OAuth consumers', async () => {
      consumer = await createConsumer(adminPage, baseUrl, admin, {
        name: consumerName, callbackUrl: flow.registeredCallbackUrl ?? flow.callbackUrl, clientType: flow.clientType,
      });
      check(consumer.key.length > 10, 'the page showed no Key');
      check(flow.clientType === 'public' ? consumer.secret === undefined : consumer.secret?.length > 20, 'the Secret does not fit the client type');
      return `${flow.clientType} consumer "${consumerName}", callback ${flow.registeredCallbackUrl ?? flow.callbackUrl}; Key and ${consumer.secret ? 'Secret' : 'no Secret'} copied`;
    });

    const provider = new ConnectorProvider({
      clientId: consumer.key, clientSecret: consumer.secret, authMethod: flow.authMethod, redirectUrl: flow.callbackUrl, makeState,
      // The SDK asks for the scope of the 401 challenge (maintenance.read maintenance.write); ChatGPT and Claude
      // also ask for offline_access so they get a refresh token, as the C# SDK does when the server advertises it.
      adjustAuthorizationUrl: url => {
        const scopes = (url.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
        if (!scopes.includes('offline_access')) url.searchParams.set('scope', [...scopes, 'offline_access'].join(' '));
        return url;
      },
    });
    let client = new Client({ name: `fractal-e2e-${flowName}`, version: '1.0.0' });
    let transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: traced });
    let server;

    await step('the client calls the MCP URL and gets 401 with the protected-resource metadata address', async () => {
      const refused = await client.connect(transport).then(() => undefined, error => error);
      check(refused instanceof UnauthorizedError, `connect should stop for authorization, got ${refused}`);
      const first = trace[0];
      equal(`${first.method} ${first.url} ${first.status}`, `POST ${mcpUrl} 401`, 'first request');
      check(!first.bearer, 'the first call carried a token');
      const challenge = extractWWWAuthenticateParams(new Response(null, { status: 401, headers: { 'www-authenticate': first.wwwAuthenticate } }));
      equal(challenge.resourceMetadataUrl?.href, `${baseUrl}/.well-known/oauth-protected-resource/mcp/oauth/fractal-one`, 'resource_metadata in WWW-Authenticate');
      return `WWW-Authenticate: ${first.wwwAuthenticate}`;
    });

    await step('the SDK reads the protected-resource metadata, then the authorization server metadata', async () => {
      const prm = trace.find(e => e.path === '/.well-known/oauth-protected-resource/mcp/oauth/fractal-one');
      check(prm?.status === 200, 'the SDK did not read the protected-resource metadata from the challenge');
      const asm = trace.find(e => e.path === '/.well-known/oauth-authorization-server');
      check(asm?.status === 200, 'the SDK did not read the authorization server metadata');
      check(trace.indexOf(prm) < trace.indexOf(asm), 'metadata read out of order');
      server = await discoverOAuthServerInfo(mcpUrl, { fetchFn: fetch });
      equal(server.resourceMetadata.resource, mcpUrl, 'resource');
      equal(server.resourceMetadata.authorization_servers[0], baseUrl, 'authorization_servers[0]');
      const m = server.authorizationServerMetadata;
      equal(m.issuer, baseUrl, 'issuer');
      check(m.code_challenge_methods_supported?.includes('S256'), 'S256 is not advertised');
      check(m.token_endpoint_auth_methods_supported?.includes(flow.authMethod), `${flow.authMethod} is not advertised`);
      check(m.authorization_response_iss_parameter_supported === true, 'iss in authorization responses is not advertised');
      return `${trace.slice(1, trace.indexOf(asm) + 1).map(describe).join(', ')}; issuer ${m.issuer}`;
    });

    await step('the SDK builds the authorization request: PKCE S256, resource, state, scope', async () => {
      const url = provider.authorizationUrl;
      check(url, 'the SDK did not ask to open an authorization URL');
      equal(url.origin + url.pathname, server.authorizationServerMetadata.authorization_endpoint, 'authorization endpoint');
      equal(url.searchParams.get('code_challenge_method'), 'S256', 'code_challenge_method');
      equal(url.searchParams.get('resource'), mcpUrl, 'resource');
      equal(url.searchParams.get('client_id'), consumer.key, 'client_id');
      equal(url.searchParams.get('redirect_uri'), flow.callbackUrl, 'redirect_uri');
      equal(url.searchParams.get('state'), provider.lastState, 'state');
      if (flow.chatgptHabits) check(provider.lastState.length > 512, 'the ChatGPT state should be over 512 characters');
      check(url.searchParams.get('scope').split(' ').includes('offline_access'), 'offline_access missing');
      note('the SDK took scope "maintenance.read maintenance.write" from the 401 challenge; the provider adds offline_access as ChatGPT and Claude do (SDK 1.32.2 does not add it)');
      return `state ${provider.lastState.length} characters, scope "${url.searchParams.get('scope')}"`;
    });

    let callback;
    await step('the person signs in and consents in the browser; the browser is sent back to the callback', async () => {
      const result = await authorizeInBrowser(personBrowser, provider.authorizationUrl.href, person, flow.callbackUrl);
      check(result.consentText.includes(consumerName), 'the consent page does not name the app');
      callback = result.callback;
      equal(callback.origin + callback.pathname, new URL(flow.callbackUrl).origin + new URL(flow.callbackUrl).pathname, 'callback');
      return `sent back to ${callback.origin}${callback.pathname}`;
    });

    await step('the callback carries the code, the same state and iss (RFC 9207)', async () => {
      check(callback.searchParams.get('code'), 'no code');
      equal(callback.searchParams.get('state'), provider.lastState, 'state');
      equal(callback.searchParams.get('iss'), server.authorizationServerMetadata.issuer, 'iss');
      note('iss is checked by this script: SDK 1.32.2 does not check it');
      return 'code, state and iss as expected';
    });

    await step(`the client exchanges the code at the token endpoint with ${flow.authMethod}`, async () => {
      const before = trace.length;
      await transport.finishAuth(callback.searchParams.get('code'));
      const exchange = trace.slice(before).find(e => e.path === '/oauth/token');
      equal(exchange?.status, 200, 'token response status');
      equal(exchange.grantType, 'authorization_code', 'grant_type');
      equal(clientAuthOf(exchange), flow.authMethod, 'client authentication');
      equal(exchange.resource, mcpUrl, 'resource at the token endpoint');
      const tokens = provider.tokens();
      equal(tokens.token_type.toLowerCase(), 'bearer', 'token_type');
      check(tokens.refresh_token, 'no refresh token');
      equal(tokens.scope, defaultScopes, 'granted scope');
      return `form fields [${exchange.formFields.join(', ')}]${exchange.basicAuth ? ' + Authorization: Basic' : ''}; access token for ${tokens.expires_in} s, refresh token, scope "${tokens.scope}"`;
    });

    client = new Client({ name: `fractal-e2e-${flowName}`, version: '1.0.0' });
    transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: traced });

    await step('the client connects with the token and lists the tools', async () => {
      await client.connect(transport);
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name);
      for (const name of ['search', 'fetch', 'list_work_orders', 'create_work_request']) check(names.includes(name), `tools/list lacks ${name}`);
      return `${tools.length} tools, including search, fetch, list_work_orders, create_work_request`;
    });

    await step('the client calls a read tool', async () => {
      const result = await client.callTool({ name: 'list_work_orders', arguments: {} });
      check(!result.isError, `list_work_orders failed: ${JSON.stringify(result.content).slice(0, 300)}`);
      return `list_work_orders: ${(result.content?.[0]?.text ?? '').slice(0, 80)}`;
    });

    await step('the client calls a write tool', async () => {
      const result = await client.callTool({ name: 'create_work_request', arguments: { title: `Leaking valve reported through ${consumerName}` } });
      check(!result.isError, `create_work_request failed: ${JSON.stringify(result.content).slice(0, 300)}`);
      return `create_work_request: ${result.content?.[0]?.text}`;
    });

    const expiryStep = 'after the access token expires, the SDK refreshes on the 401 and the call goes through';
    if (!canMoveClock() && provider.tokens().expires_in > 120) {
      skip(expiryStep, `the token lives ${provider.tokens().expires_in} s; start the app with --OAuth:AccessTokenMinutes 1 to include this step`);
    } else {
      await step(expiryStep, async () => {
        const moved = await advanceServerClock(provider.tokens().expires_in + 31); // past exp and the server's 30 s skew
        const before = trace.length;
        const oldRefresh = provider.tokens().refresh_token;
        const result = await client.callTool({ name: 'list_assets', arguments: {} });
        check(!result.isError, 'list_assets failed after the refresh');
        const steps = trace.slice(before);
        check(steps[0].path === '/mcp/oauth/fractal-one' && steps[0].status === 401 && /invalid_token/.test(steps[0].wwwAuthenticate), 'the expired token was not refused with invalid_token');
        const refresh = steps.find(e => e.grantType === 'refresh_token');
        equal(refresh?.status, 200, 'refresh status');
        equal(clientAuthOf(refresh), flow.authMethod, 'client authentication on refresh');
        check(provider.tokens().refresh_token !== oldRefresh, 'the refresh token did not rotate');
        return `${moved}; ${steps.map(describe).join(', ')}`;
      });
    }

    if (flow.chatgptHabits) {
      await step('ChatGPT habit: parallel refreshes of one refresh token all succeed with the same successor', async () => {
        note('three parallel refreshAuthorization() calls of the SDK: auth() itself never refreshes twice at once');
        const presented = provider.tokens().refresh_token;
        const results = await Promise.allSettled([1, 2, 3].map(() => refreshAuthorization(baseUrl, {
          metadata: server.authorizationServerMetadata, clientInformation: provider.clientInformation(), refreshToken: presented, resource: mcpUrl, fetchFn: traced,
        })));
        const failed = results.filter(r => r.status === 'rejected');
        check(failed.length === 0, `${failed.length} of 3 parallel refreshes failed: ${failed.map(f => f.reason?.message).join('; ')}`);
        const successors = new Set(results.map(r => r.value.refresh_token));
        equal(successors.size, 1, 'distinct successor refresh tokens (the server documents one successor within OAuth:RefreshReuseLeewaySeconds)');
        provider.saveTokens({ ...results[0].value, issuer: baseUrl });
        const after = await client.listTools();
        check(after.tools.length > 0, 'tools/list failed with a successor token');
        return '3 × 200, one successor refresh token, which works';
      });

      await step('ChatGPT habit: a reconnect without scope gets the default scopes', async () => {
        note('startAuthorization() of the SDK without scope: auth() always sends one, ChatGPT sometimes does not');
        const state = makeState();
        const { authorizationUrl, codeVerifier } = await startAuthorization(baseUrl, {
          metadata: server.authorizationServerMetadata, clientInformation: provider.clientInformation(), redirectUrl: flow.callbackUrl, state, resource: new URL(mcpUrl),
        });
        check(!authorizationUrl.searchParams.has('scope'), 'the request has a scope');
        const { callback: back } = await authorizeInBrowser(personBrowser, authorizationUrl.href, person, flow.callbackUrl);
        equal(back.searchParams.get('state'), state, 'state');
        equal(back.searchParams.get('iss'), baseUrl, 'iss');
        const tokens = await exchangeAuthorization(baseUrl, {
          metadata: server.authorizationServerMetadata, clientInformation: provider.clientInformation(), authorizationCode: back.searchParams.get('code'),
          codeVerifier, redirectUri: flow.callbackUrl, resource: new URL(mcpUrl), fetchFn: traced,
        });
        equal(tokens.scope, defaultScopes, 'default scope');
        check(tokens.refresh_token, 'no refresh token');
        provider.saveTokens({ ...tokens, issuer: baseUrl });
        check((await client.listTools()).tools.length > 0, 'tools/list failed after the reconnect');
        return `granted "${tokens.scope}" with a refresh token; the new connection works`;
      });

      await step('ChatGPT habit: an error redirect (person denies) also carries state and iss', async () => {
        const state = makeState();
        const { authorizationUrl } = await startAuthorization(baseUrl, {
          metadata: server.authorizationServerMetadata, clientInformation: provider.clientInformation(), redirectUrl: flow.callbackUrl, state,
          resource: new URL(mcpUrl), scope: defaultScopes,
        });
        const { callback: back } = await authorizeInBrowser(personBrowser, authorizationUrl.href, person, flow.callbackUrl, 'deny');
        equal(back.searchParams.get('error'), 'access_denied', 'error');
        equal(back.searchParams.get('state'), state, 'state');
        equal(back.searchParams.get('iss'), baseUrl, 'iss');
        check(!back.searchParams.has('code'), 'a denied request got a code');
        return 'error=access_denied with state and iss';
      });
    }

    const bearer = provider.tokens().access_token;
    const rawToolsList = () => fetch(mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });

    await step('the admin revokes the authorization in Settings › API Connections › App authorizations', async () => {
      equal((await rawToolsList()).status, 200, 'the token works right before the revocation');
      await revokeAuthorization(adminPage, baseUrl, admin, { consumerName, userEmail: person.email });
      return `the row of ${person.email} and "${consumerName}" is gone`;
    });

    await step(`the client's next call gets 401 within the bound (OAuth:StatusCacheSeconds = ${statusBoundSeconds})`, async () => {
      note('polled with fetch and the same bearer token, so the time to the first 401 is measured; the SDK would refresh at once');
      const revokedAt = Date.now();
      const deadline = revokedAt + (statusBoundSeconds + 30) * 1000; // the bound plus room for a loaded machine
      let response;
      for (;;) {
        response = await rawToolsList();
        if (response.status !== 200 || Date.now() > deadline) break;
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      equal(response.status, 401, 'status after the revocation');
      check(/error="invalid_token"/.test(response.headers.get('www-authenticate') ?? ''), 'the 401 does not say invalid_token');
      const seconds = (Date.now() - revokedAt) / 1000;
      check(seconds <= statusBoundSeconds + 30, `401 only after ${seconds} s`);
      const before = trace.length;
      const refused = await client.listTools().then(() => undefined, error => error);
      check(refused, 'the SDK client still works after the revocation');
      const refresh = trace.slice(before).find(e => e.grantType === 'refresh_token');
      equal(refresh?.error, 'invalid_grant', 'the SDK\'s refresh after the revocation');
      return `first 401 after ${seconds.toFixed(1)} s; the SDK's refresh then gets invalid_grant and it asks the person to connect again (${refused.constructor.name})`;
    });

    await client.close().catch(() => {});
  } finally {
    await browser.close();
    closeClockChannel();
  }
});
