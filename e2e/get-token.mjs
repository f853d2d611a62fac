// Prints an MCP access token for a person, for tools that take a bearer token (MCP Inspector's CLI, curl).
// The official MCP TypeScript SDK does the OAuth part (discovery, PKCE S256, resource, code exchange); the
// person signs in and consents in their own browser, which comes back to a loopback listener (RFC 8252).
//
//   FRACTAL_BASE_URL       the app, default http://localhost:7071
//   FRACTAL_CLIENT_ID      a consumer's Key whose callback URLs include http://127.0.0.1/callback
//                          (./run.sh's demo consumer does; .local/demo-credentials.json has its Key and Secret)
//   FRACTAL_CLIENT_SECRET  its Secret (leave unset for a public consumer)
//   FRACTAL_CALLBACK_PORT  the loopback port to listen on, default 8976
//
// The address to open goes to stderr; stdout gets the access token alone:  TOKEN=$(node e2e/get-token.mjs)
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { discoverOAuthServerInfo, exchangeAuthorization, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';

const baseUrl = (process.env.FRACTAL_BASE_URL ?? 'http://localhost:7071').replace(/\/$/, '');
const mcpUrl = `${baseUrl}/mcp/oauth/fractal-one`;
const clientId = process.env.FRACTAL_CLIENT_ID;
const clientSecret = process.env.FRACTAL_CLIENT_SECRET || undefined;
const port = Number(process.env.FRACTAL_CALLBACK_PORT ?? '8976');
if (!clientId) {
  console.error('Set FRACTAL_CLIENT_ID (and FRACTAL_CLIENT_SECRET) to a consumer\'s Key (and Secret).');
  process.exit(2);
}

const redirectUrl = `http://127.0.0.1:${port}/callback`;
const server = await discoverOAuthServerInfo(mcpUrl);
const metadata = server.authorizationServerMetadata;
const clientInformation = { client_id: clientId, client_secret: clientSecret, token_endpoint_auth_method: clientSecret ? 'client_secret_post' : 'none' };
const state = randomBytes(24).toString('base64url');
const { authorizationUrl, codeVerifier } = await startAuthorization(server.authorizationServerUrl, {
  metadata, clientInformation, redirectUrl, state, resource: new URL(mcpUrl), scope: 'maintenance.read maintenance.write',
});

const callback = await new Promise((resolve, reject) => {
  const listener = http.createServer((request, response) => {
    const url = new URL(request.url, redirectUrl);
    if (url.pathname !== '/callback') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Fractal One: done, you can close this tab.');
    listener.close();
    resolve(url);
  });
  listener.on('error', reject);
  listener.listen(port, '127.0.0.1', () => {
    console.error('Open this address in a browser, sign in and approve:');
    console.error(authorizationUrl.href);
  });
});

const fail = message => {
  console.error(message);
  process.exit(1);
};
if (callback.searchParams.get('state') !== state) fail('The answer does not carry our state.');
if (callback.searchParams.get('iss') !== metadata.issuer) fail('The answer does not come from our issuer (RFC 9207 iss).');
if (callback.searchParams.has('error')) fail(`Not authorized: ${callback.searchParams.get('error')} ${callback.searchParams.get('error_description') ?? ''}`);

const tokens = await exchangeAuthorization(server.authorizationServerUrl, {
  metadata, clientInformation, authorizationCode: callback.searchParams.get('code'), codeVerifier, redirectUri: redirectUrl, resource: new URL(mcpUrl),
});
console.error(`Access token for ${tokens.expires_in} s, scope "${tokens.scope}".`);
console.log(tokens.access_token);
