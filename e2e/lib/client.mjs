// The MCP client side: the official TypeScript SDK's OAuth machinery (OAuthClientProvider + auth() inside
// StreamableHTTPClientTransport), with every HTTP exchange it makes recorded so the script can check what
// the SDK sent and what the server answered. Only names of fields are kept for token requests, never values.

/** An in-memory OAuthClientProvider for a pre-registered client (an admin-created consumer: Key and Secret). */
export class ConnectorProvider {
  constructor({ clientId, clientSecret, authMethod, redirectUrl, makeState, adjustAuthorizationUrl }) {
    this._client = { client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), token_endpoint_auth_method: authMethod };
    this._redirectUrl = redirectUrl;
    this._makeState = makeState;
    this._adjust = adjustAuthorizationUrl ?? (url => url);
    this.authorizationUrl = undefined;
    this.lastState = undefined;
    this._tokens = undefined;
    this._verifier = undefined;
  }

  get redirectUrl() { return this._redirectUrl; }
  get clientMetadata() {
    return { client_name: 'Fractal One e2e', redirect_uris: [this._redirectUrl], token_endpoint_auth_method: this._client.token_endpoint_auth_method };
  }
  state() { this.lastState = this._makeState(); return this.lastState; }
  clientInformation() { return this._client; }
  tokens() { return this._tokens; }
  saveTokens(tokens) { this._tokens = tokens; }
  redirectToAuthorization(url) { this.authorizationUrl = this._adjust(new URL(url)); }
  saveCodeVerifier(verifier) { this._verifier = verifier; }
  codeVerifier() { return this._verifier; }
  invalidateCredentials(scope) { if (scope === 'all' || scope === 'tokens') this._tokens = undefined; }
}

/** A fetch that records method, URL, status, the WWW-Authenticate header, and how a token request authenticated. */
export function tracingFetch(trace) {
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    const entry = { method: (init.method ?? 'GET').toUpperCase(), url: url.href, path: url.pathname };
    if (url.pathname === '/oauth/token' || url.pathname === '/oauth/revoke') {
      const form = new URLSearchParams(init.body instanceof URLSearchParams ? init.body.toString() : String(init.body ?? ''));
      entry.formFields = [...form.keys()].sort();
      entry.grantType = form.get('grant_type');
      entry.resource = form.get('resource');
      entry.basicAuth = (headers.get('authorization') ?? '').startsWith('Basic ');
    } else if (headers.has('authorization')) {
      entry.bearer = true;
    }
    const response = await fetch(input, init);
    entry.status = response.status;
    entry.wwwAuthenticate = response.headers.get('www-authenticate') ?? undefined;
    if (url.pathname === '/oauth/token' && !response.ok) {
      entry.error = (await response.clone().json().catch(() => ({}))).error;
    }
    trace.push(entry);
    return response;
  };
}

/** How the trace shows a token request authenticating, as RFC 6749 §2.3.1 / OAuth 2.1 name it. */
export function clientAuthOf(entry) {
  if (entry.basicAuth) return entry.formFields.includes('client_secret') ? 'basic+post (both!)' : 'client_secret_basic';
  if (entry.formFields.includes('client_secret')) return 'client_secret_post';
  return entry.formFields.includes('client_id') ? 'none' : 'no client identification';
}

export function describe(entry) {
  return `${entry.method} ${entry.path} → ${entry.status}`;
}
