// MCP Apps bridge (io.modelcontextprotocol/ui, 2026-01-26): JSON-RPC 2.0 with the host over postMessage.
// The view is a small MCP client: ui/initialize, then ui/notifications/initialized, then it draws what the
// host sends (tool-input, tool-result) and calls tools through the host (tools/call). No network of its own.
const Bridge = (() => {
  const pending = new Map();
  const handlers = {};
  let nextId = 1;
  const post = message => window.parent.postMessage(message, '*');
  window.addEventListener('message', event => {
    if (event.source !== window.parent) return;
    const m = event.data;
    if (!m || m.jsonrpc !== '2.0') return;
    if (m.method === undefined && m.id !== undefined) {
      const waiting = pending.get(m.id);
      if (!waiting) return;
      pending.delete(m.id);
      if (m.error) waiting.reject(m.error); else waiting.resolve(m.result);
      return;
    }
    if (typeof m.method !== 'string') return;
    let result = {};
    try { result = (handlers[m.method] && handlers[m.method](m.params || {})) || {}; } catch (err) { console.error(err); }
    // Requests from the host (ping, ui/resource-teardown) get an answer; notifications do not.
    if (m.id !== undefined) post({ jsonrpc: '2.0', id: m.id, result });
  });
  return {
    request(method, params) {
      const id = nextId++;
      post({ jsonrpc: '2.0', id, method, params });
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    notify(method, params) { post({ jsonrpc: '2.0', method, params }); },
    on(method, handler) { handlers[method] = handler; },
  };
})();

// Host context: theme, locale, time zone and style variables, merged as the host updates them.
const Host = { context: {}, lang: 'en', locale: 'en', timeZone: undefined };

function applyHostContext(update) {
  Object.assign(Host.context, update || {});
  const c = Host.context;
  const dark = c.theme ? c.theme === 'dark' : window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  const variables = c.styles && c.styles.variables;
  if (variables) for (const [name, value] of Object.entries(variables)) if (value && name.startsWith('--')) document.documentElement.style.setProperty(name, value);
  const locale = c.locale || navigator.language || 'en';
  Host.lang = /^es\b/i.test(locale) ? 'es' : 'en';
  try { Host.locale = Intl.getCanonicalLocales(locale)[0]; } catch { Host.locale = Host.lang; }
  Host.timeZone = c.timeZone;
  document.documentElement.lang = Host.lang;
}

// Elements without innerHTML: every text from a tool result is set as text, never parsed as markup.
const SVG_NS = 'http://www.w3.org/2000/svg';
function el(tag, attrs, ...children) { return build(document.createElement(tag), attrs, children); }
function svg(tag, attrs, ...children) { return build(document.createElementNS(SVG_NS, tag), attrs, children); }
function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

function textOf(result) {
  return ((result && result.content) || []).filter(c => c.type === 'text').map(c => c.text).join('\n');
}

function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

// Starts the view: handlers first, then the handshake, then the size reports.
async function startView(name, view) {
  let last = null;
  const redraw = () => { if (last) view.render(last); else view.waiting(); };
  Bridge.on('ui/notifications/tool-input', p => view.input && view.input(p.arguments || {}));
  Bridge.on('ui/notifications/tool-result', p => { last = p; view.render(p); });
  Bridge.on('ui/notifications/tool-cancelled', p => view.cancelled && view.cancelled(p.reason));
  Bridge.on('ui/notifications/host-context-changed', p => { applyHostContext(p); redraw(); });
  Bridge.on('ui/resource-teardown', () => ({}));
  applyHostContext({});
  redraw();
  try {
    const init = await Bridge.request('ui/initialize', {
      protocolVersion: '2026-01-26',
      appInfo: { name, version: '1.0.0' },
      appCapabilities: { availableDisplayModes: ['inline'] },
    });
    applyHostContext(init && init.hostContext);
  } catch (err) {
    console.warn('ui/initialize failed', err);
  }
  redraw();
  Bridge.notify('ui/notifications/initialized', {});
  let width = 0, height = 0;
  const report = () => {
    const box = document.body.getBoundingClientRect();
    const w = Math.ceil(box.width), h = Math.ceil(box.height);
    if (w === width && h === height) return;
    width = w; height = h;
    Bridge.notify('ui/notifications/size-changed', { width: w, height: h });
  };
  new ResizeObserver(report).observe(document.body);
  report();
}
