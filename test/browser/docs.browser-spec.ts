/* eslint-disable security/detect-non-literal-fs-filename -- test code: reads the Chromium binary path it is given and the ReDoc bundle installed under node_modules */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { REDOC_SCRIPT_INTEGRITY, REDOC_SCRIPT_PATH, REDOC_VERSION } from '../../src/docs/redoc';
import { TestApp, createTestApp } from '../helpers/test-app';
import { launchChromium } from './support/chromium';

const API_KEY = 'browser-test-key-0123456789abcdef0123456789';

/** One service (keys required) and one browser for both docs pages. */
describe('docs pages in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ MFN_API_KEY: API_KEY, MFN_API_KEY_REQUIRED: 'true' });
    baseUrl = await t.listen();
    browser = await launchChromium();
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

      const op = page.locator('#operations-compute-nernst');
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
   * The ReDoc page loads its pinned bundle from the service itself. Every request that would
   * leave the service's origin is refused in the page, as on a closed network; Subresource
   * Integrity and the page's CSP are enforced by the browser.
   */
  describe('ReDoc', () => {
    const bundlePath = require.resolve('redoc/bundles/redoc.standalone.js');

    it('pins the integrity hash of the release it names', () => {
      const pkg = JSON.parse(readFileSync(require.resolve('redoc/package.json'), 'utf8')) as { version: string };
      expect(pkg.version).toBe(REDOC_VERSION);
      const digest = createHash('sha384').update(readFileSync(bundlePath)).digest('base64');
      expect(REDOC_SCRIPT_INTEGRITY).toBe(`sha384-${digest}`);
    });

    async function openRedoc(script?: Buffer) {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(msg.text());
      });
      page.on('pageerror', (err) => problems.push(err.message));
      // Offline: anything not from this service is refused before it reaches a network.
      const offsite: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${baseUrl}/`)) return route.continue();
        offsite.push(url);
        return route.abort('internetdisconnected');
      });
      if (script) {
        await page.route(`${baseUrl}${REDOC_SCRIPT_PATH}`, (route) =>
          route.fulfill({ status: 200, contentType: 'application/javascript; charset=utf-8', body: script }),
        );
      }
      const bundles: number[] = [];
      page.on('response', (r) => {
        if (r.url() === `${baseUrl}${REDOC_SCRIPT_PATH}`) bundles.push(r.status());
      });
      await page.goto(`${baseUrl}/redoc`, { waitUntil: 'load' });
      return { page, problems, offsite, bundles };
    }

    /** ReDoc's attribution logo sits on its own CDN; the page's CSP refuses it (the link shows without it). */
    const refusedLogo = (e: string) => /image 'https:\/\/cdn\.redoc\.ly\/[^']*' violates the following Content Security Policy/.test(e);

    it('renders the API from /openapi.json under the page CSP, offline and without the API key', async () => {
      const { page, problems, offsite, bundles } = await openRedoc();
      await page.waitForSelector('.api-info h1', { timeout: 30_000 });
      expect(await page.locator('.api-info h1').innerText()).toContain('MyceliumFractalNet API');
      expect(await page.locator('.menu-content').innerText()).toMatch(/compute[\s\S]*crypto/);
      const text = (await page.locator('.redoc-wrap').textContent()) ?? '';
      expect(text).toContain('/nernst');
      expect(text).toContain('/api/encrypt');
      // An operation is rendered with its summary.
      await expect(page.locator('h2', { hasText: 'Nernst equilibrium potential of an ion' }).count()).resolves.toBeGreaterThan(0);
      // The API-key scheme is documented on the page.
      expect(await page.content()).toContain('X-API-Key');
      expect(bundles).toEqual([200]);
      expect(problems.filter((e) => !/favicon/i.test(e) && !refusedLogo(e))).toEqual([]);
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
