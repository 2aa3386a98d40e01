import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import { TestApp, createTestApp } from '../helpers/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a closed network (no background traffic, no sandbox as root). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const API_KEY = 'browser-test-key-0123456789abcdef0123456789';

describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium was not found at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH; ` +
          'the browser suite does not skip.',
      );
    }
    t = await createTestApp({ MFN_API_KEY: API_KEY, MFN_API_KEY_REQUIRED: 'true' });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the endpoints and sends the API key entered in the Authorize dialog', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });

    await page.goto(`${baseUrl}/docs`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    expect(await page.locator('.info .title').innerText()).toContain('MyceliumFractalNet API');

    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    const normalised = paths.map((p) => p.replace(/\u200b/g, '').trim());
    expect(normalised).toEqual(expect.arrayContaining(['/nernst', '/health']));

    const op = page.locator('#operations-compute-SimulationController_nernst');
    await op.locator('.opblock-summary').click();
    await op.locator('button.try-out__btn').click();
    await op.locator('textarea.body-param__text').fill(
      JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 }),
    );
    const execute = async () => {
      const [req, res] = await Promise.all([
        page.waitForRequest((r) => r.url().endsWith('/nernst') && r.method() === 'POST'),
        page.waitForResponse((r) => r.url().endsWith('/nernst') && r.request().method() === 'POST'),
        op.locator('button.execute').click(),
      ]).then(([rq, rs]) => [rq, rs] as const);
      return { req, res };
    };

    // Without authorizing, the protected route answers 401 in the page.
    const anonymous = await execute();
    expect(anonymous.req.headers()['x-api-key']).toBeUndefined();
    expect(anonymous.res.status()).toBe(401);

    // Authorize: the dialog offers the X-API-Key scheme and takes a key.
    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('X-API-Key');
    await dialog.locator('input[type="text"], input[type="password"]').first().fill(API_KEY);
    await dialog.locator('button.modal-btn.auth.authorize').click();
    await dialog.locator('button.modal-btn.auth.btn-done, button.btn-done').first().click();

    // Now the request carries the key and the answer is shown.
    const authorised = await execute();
    expect(authorised.req.headers()['x-api-key']).toBe(API_KEY);
    expect(authorised.res.status()).toBe(200);
    const responseBody = op.locator('.responses-wrapper .live-responses-table .response-col_description pre').first();
    await expect(responseBody.innerText()).resolves.toContain('-89.0106691198790');
    // The deliberate 401 above is the only failed request the page may log.
    expect(consoleErrors.filter((e) => !/favicon|401/i.test(e))).toEqual([]);
    await page.close();
  });
});
