import { loadConfig } from '../config';
import { liveExamplesEnabled } from './openapi';

const TEST_MASTER_KEY = Buffer.alloc(32, 0x5a).toString('base64');

describe('live examples of the Swagger UI page', () => {
  it('are on in the dev profile with docs on and no API keys', () => {
    expect(liveExamplesEnabled(loadConfig({}))).toBe(true);
  });

  it('are off in staging and prod even with docs on and API keys off', () => {
    for (const env of ['staging', 'prod']) {
      const config = loadConfig({
        MFN_ENV: env,
        MFN_DOCS_ENABLED: 'true',
        MFN_API_KEY_REQUIRED: 'false',
        MFN_MASTER_KEY: TEST_MASTER_KEY,
        MFN_CORS_ORIGINS: 'https://a.example.com',
      });
      expect({ env, docs: config.docsEnabled, keys: config.auth.required, live: liveExamplesEnabled(config) }).toEqual({
        env,
        docs: true,
        keys: false,
        live: false,
      });
    }
  });

  it('are off in dev with API keys on', () => {
    expect(liveExamplesEnabled(loadConfig({ MFN_API_KEY_REQUIRED: 'true', MFN_API_KEY: 'k'.repeat(32) }))).toBe(false);
  });
});
