/* eslint-disable security/detect-non-literal-fs-filename -- test code: reads the Chromium binary path it is given and the ReDoc bundle installed under node_modules */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { REDOC_BADGE_ORIGIN, REDOC_SCRIPT_INTEGRITY, REDOC_SCRIPT_URL, REDOC_VERSION } from '../../src/docs/redoc';
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

/** One service (keys required) and one browser for both docs pages. */
describe('docs pages in a real browser', () => {
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
    baseUrl = await t.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  describe('Swagger UI', () => {
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
      // Swagger UI renders the new answer a moment after the response arrives (the 401 shown
      // before may still be on the page): wait until the shown body is this one, then read it.
      const responseBody = op.locator('.responses-wrapper .live-responses-table .response-col_description pre').first();
      await op.locator('.responses-wrapper .live-responses-table .response-col_description pre', { hasText: '-89.0106691198790' }).first().waitFor();
      await expect(responseBody.innerText()).resolves.toContain('-89.0106691198790');
      // The deliberate 401 above is the only failed request the page may log.
      expect(consoleErrors.filter((e) => !/favicon|401/i.test(e))).toEqual([]);
      await page.close();
    });
  });

  /**
   * The ReDoc page loads its pinned bundle from the CDN. The machine running the tests has no route
   * to it, so the browser's request for that URL is answered with the same release's file from the
   * npm package (the file the CDN serves). Subresource Integrity and the page's CSP are enforced by
   * the browser as they would be against the CDN.
   */
  describe('ReDoc', () => {
    const bundlePath = require.resolve('redoc/bundles/redoc.standalone.js');

    it('pins the integrity hash of the release it names', () => {
      const pkg = JSON.parse(readFileSync(require.resolve('redoc/package.json'), 'utf8')) as { version: string };
      expect(pkg.version).toBe(REDOC_VERSION);
      const digest = createHash('sha384').update(readFileSync(bundlePath)).digest('base64');
      expect(REDOC_SCRIPT_INTEGRITY).toBe(`sha384-${digest}`);
    });

    async function openRedoc(script: Buffer) {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(msg.text());
      });
      page.on('pageerror', (err) => problems.push(err.message));
      await page.route(REDOC_SCRIPT_URL, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/javascript; charset=utf-8',
          headers: { 'Access-Control-Allow-Origin': '*' },
          body: script,
        }),
      );
      await page.route(`${REDOC_BADGE_ORIGIN}/**`, (route) =>
        route.fulfill({ status: 200, contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' }),
      );
      // Anything else off this service would be a request the page was not meant to make.
      const offsite: string[] = [];
      page.on('request', (r) => {
        const url = r.url();
        const expected = [baseUrl, REDOC_SCRIPT_URL, `${REDOC_BADGE_ORIGIN}/`, 'blob:', 'data:'];
        if (!expected.some((prefix) => url.startsWith(prefix))) offsite.push(url);
      });
      await page.goto(`${baseUrl}/redoc`, { waitUntil: 'load' });
      return { page, problems, offsite };
    }

    it('renders the API from /openapi.json under the page CSP, without the API key', async () => {
      const { page, problems, offsite } = await openRedoc(readFileSync(bundlePath));
      await page.waitForSelector('.api-info h1', { timeout: 30_000 });
      expect(await page.locator('.api-info h1').innerText()).toContain('MyceliumFractalNet API');
      expect(await page.locator('.menu-content').innerText()).toMatch(/compute[\s\S]*crypto/);
      const text = (await page.locator('.redoc-wrap').textContent()) ?? '';
      expect(text).toContain('/nernst');
      expect(text).toContain('/api/encrypt');
      // The API-key scheme is documented on the page.
      expect(await page.content()).toContain('X-API-Key');
      expect(problems.filter((e) => !/favicon/i.test(e))).toEqual([]);
      expect(offsite).toEqual([]);
      await page.close();
    });

    it('refuses a bundle that does not match the pinned hash', async () => {
      const tampered = Buffer.concat([readFileSync(bundlePath), Buffer.from('\n;window.__tampered = true;\n')]);
      const { page, problems } = await openRedoc(tampered);
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => (globalThis as unknown as { __tampered?: boolean }).__tampered)).toBeUndefined();
      expect(await page.locator('.api-info').count()).toBe(0);
      expect(problems.join('\n')).toMatch(/integrity/i);
      await page.close();
    });
  });
});
