// The people's part, in Debian's headless Chromium driven by playwright-core (no browser is downloaded):
// an administrator in Settings › API Connections, and the person who signs in and consents.
import { chromium } from 'playwright-core';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run',
      '--disable-sync', '--disable-quic',
      // Only loopback resolves: a redirect to chatgpt.com or claude.ai is seen (and read) but never leaves the machine.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}

/** A browser profile of one person (own cookies). */
export async function newContext(browser) {
  const context = await browser.newContext({ locale: 'en-US' });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/** Fills the sign-in form when the app asks for it (a fresh browser, or a session that ended). */
export async function signInIfAsked(page, email, password) {
  if (!new URL(page.url()).pathname.startsWith('/account/sign-in')) return false;
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  if (new URL(page.url()).pathname.startsWith('/account/sign-in')) throw new Error(`Sign-in of ${email} was refused.`);
  return true;
}

export async function openAsAdmin(page, baseUrl, path, admin) {
  await page.goto(baseUrl + path);
  await signInIfAsked(page, admin.email, admin.password);
  if (new URL(page.url()).pathname !== path) await page.goto(baseUrl + path);
}

/** Settings › API Connections › OAuth consumers › (+): the consumer ChatGPT or Claude will use. Returns its key and secret. */
export async function createConsumer(page, baseUrl, admin, { name, callbackUrl, clientType }) {
  await openAsAdmin(page, baseUrl, '/settings/api-connections/consumers', admin);
  await Promise.all([page.waitForURL('**/consumers/new**'), page.click('#new-consumer')]);
  await page.selectOption('#client_type', clientType);
  await page.fill('#name', name);
  await page.fill('#description', `End-to-end test consumer (${name})`);
  await page.fill('#callback_urls', callbackUrl);
  await page.click('#save');
  await page.waitForSelector('#consumer-key');
  const key = (await page.locator('#consumer-key').innerText()).trim();
  const secret = clientType === 'confidential' ? (await page.locator('#consumer-secret').innerText()).trim() : undefined;
  return { key, secret };
}

/** Settings › API Connections › App authorizations: the admin revokes the person's authorization of this app. */
export async function revokeAuthorization(page, baseUrl, admin, { consumerName, userEmail }) {
  await openAsAdmin(page, baseUrl, '/settings/api-connections/app-authorizations', admin);
  const row = page.locator('#authorizations tbody tr', { hasText: consumerName }).filter({ hasText: userEmail });
  if (await row.count() !== 1) throw new Error(`Expected one authorization of ${consumerName} by ${userEmail}, found ${await row.count()}.`);
  await Promise.all([page.waitForNavigation(), row.locator('button').click()]);
  await page.waitForSelector('#authorizations');
  if (await page.locator('#authorizations tbody tr', { hasText: consumerName }).count() !== 0) throw new Error('The revoked authorization is still listed.');
}

/**
 * The person opens the authorization URL, signs in if asked and approves (or denies) on the consent page;
 * returns the URL the browser was sent back to. That URL belongs to ChatGPT or Claude and cannot load here:
 * the request is captured as it leaves, which also sees redirect hops (route handlers do not).
 */
export async function authorizeInBrowser(context, authorizationUrl, person, callbackUrl, decision = 'approve') {
  // A tab of its own: the failed load of the last callback must not interrupt this navigation.
  const page = await context.newPage();
  try {
    return await authorizeInPage(page, authorizationUrl, person, callbackUrl, decision);
  } finally {
    await page.close();
  }
}

async function authorizeInPage(page, authorizationUrl, person, callbackUrl, decision) {
  const callbackPrefix = callbackUrl.split('?')[0];
  const sentBack = page.waitForRequest(r => r.url().startsWith(callbackPrefix), { timeout: 60_000 });
  sentBack.catch(() => {});
  await page.goto(authorizationUrl);
  await signInIfAsked(page, person.email, person.password);
  const consent = page.locator(decision === 'approve' ? '#approve' : '#deny');
  if (await consent.count() === 0) throw new Error(`Expected the consent page, got ${page.url()}: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 300)}`);
  const consentText = await page.locator('main').innerText();
  await consent.click({ noWaitAfter: true });
  return { callback: new URL((await sentBack).url()), consentText };
}
