import type { Browser, Page } from 'playwright-core';
import { TestApp, createTestApp } from '../helpers/test-app';
import { launchChromium } from './support/chromium';

/**
 * Swagger UI in the dev profile (no API key), as a new user meets it: every operation's
 * "Try it out" → "Execute" with the prefilled example answers 2xx, on the page as it loads.
 */
describe('Swagger UI "Try it out" in the dev profile', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ MFN_COMPUTE_WORKERS: '2' });
    baseUrl = await t.listen();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The status Swagger UI shows for the operation's live response, once it is there. */
  async function execute(page: Page, id: string): Promise<{ shown: number; sent: number }> {
    const op = page.locator(`[id="${id}"]`);
    await op.locator('.opblock-summary').first().click();
    // "Try it out" stays on once switched on (the button then reads "Cancel").
    const tryOut = op.locator('button.try-out__btn');
    if ((await tryOut.innerText()).trim() === 'Try it out') await tryOut.click();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(baseUrl) && r.request().resourceType() === 'fetch', { timeout: 30_000 }),
      op.locator('button.execute').click(),
    ]);
    const status = op.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    const shown = Number((await status.innerText()).trim().split(/\s/)[0]);
    // Fold it again: a page with every answer open gets slow.
    await op.locator('.opblock-summary').first().click();
    return { shown, sent: response.status() };
  }

  it('answers 2xx for every operation with its prefilled example', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await page.goto(`${baseUrl}/docs`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    const ids = await page.locator('.opblock').evaluateAll((blocks) => blocks.map((b) => b.id));
    expect(ids.length).toBeGreaterThan(20);
    expect(ids).toEqual(expect.arrayContaining(['operations-compute-nernst', 'operations-crypto-decrypt', 'operations-crypto_keys-rotateKey']));

    const results = new Map<string, { shown: number; sent: number }>();
    for (const id of ids) results.set(id, await execute(page, id));
    const failed = [...results].filter(([, r]) => r.sent < 200 || r.sent > 299 || r.shown !== r.sent);
    expect(failed).toEqual([]);
    expect(consoleErrors.filter((e) => !/favicon/i.test(e))).toEqual([]);

    // A second try on the same page: generated ids do not collide, the demo keys are still there.
    // (DELETE removed the deletable demo key; the next page load makes it again.)
    const again: [string, number][] = [];
    for (const id of ['operations-crypto-keypair', 'operations-crypto_keys-createKey', 'operations-crypto-decrypt', 'operations-crypto-verify']) {
      again.push([id, (await execute(page, id)).sent]);
    }
    expect(again.filter(([, status]) => status < 200 || status > 299)).toEqual([]);
    await page.close();
  }, 240_000);
});
