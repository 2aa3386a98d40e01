import { ConfigValidationError, loadConfig, unknownVariables } from './load-config';

const PROD_KEYS = { MFN_API_KEY: 'k'.repeat(40) };

function errorOf(env: Record<string, string>): ConfigValidationError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigValidationError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('builds the dev profile from an empty environment', () => {
    const c = loadConfig({});
    expect(c.env).toBe('dev');
    expect(c.http).toMatchObject({ port: 8000, host: '127.0.0.1', maxBodyBytes: 2 * 1024 * 1024, aggregateMaxBytes: 8 * 1024 * 1024 });
    expect(c.auth.required).toBe(false);
    expect(c.rateLimit).toMatchObject({ enabled: false, requests: 100, windowSeconds: 60, failOpen: true, backend: 'auto' });
    expect(c.logging).toEqual({ level: 'info', format: 'text' });
    expect(c.docsEnabled).toBe(true);
    expect(c.cors).toEqual({ origins: '*', credentials: false });
    expect(c.secrets.backend).toBe('env');
    expect(c.compute.workers).toBeGreaterThanOrEqual(1);
  });

  it('applies the staging and prod defaults', () => {
    const staging = loadConfig({ MFN_ENV: 'staging', ...PROD_KEYS });
    expect(staging.auth.required).toBe(true);
    expect(staging.rateLimit.enabled).toBe(true);
    expect(staging.logging.format).toBe('json');
    expect(staging.docsEnabled).toBe(false);
    expect(staging.cors).toEqual({ origins: ['http://localhost:3000', 'http://localhost:8080'], credentials: true });
    expect(staging.http.host).toBe('0.0.0.0');

    const prod = loadConfig({ MFN_ENV: 'PROD', ...PROD_KEYS });
    expect(prod.env).toBe('prod');
    expect(prod.auth.required).toBe(true);
    expect(prod.docsEnabled).toBe(false);
    expect(prod.cors).toEqual({ origins: [], credentials: false });
    expect(prod.http.host).toBe('0.0.0.0');
    expect(prod.compute.timeoutMs).toBe(60_000);
  });

  it('lets explicit variables override the profile', () => {
    const c = loadConfig({
      MFN_ENV: 'prod',
      ...PROD_KEYS,
      MFN_DOCS_ENABLED: 'yes',
      MFN_API_KEY_REQUIRED: ' False ',
      MFN_LOG_FORMAT: 'TEXT',
      MFN_LOG_LEVEL: 'warning',
      MFN_CORS_ORIGINS: 'https://a.example.com, ,https://b.example.com',
      MFN_RATE_LIMIT_ROUTES: '/nernst=1000,/simulate/=20',
      MFN_TRUST_PROXY_HEADERS: '1',
      MFN_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8',
      PORT: '9000',
    });
    expect(c.docsEnabled).toBe(true);
    expect(c.auth.required).toBe(false);
    expect(c.logging).toEqual({ level: 'warn', format: 'text' });
    expect(c.cors).toEqual({ origins: ['https://a.example.com', 'https://b.example.com'], credentials: true });
    expect(c.rateLimit.routes).toEqual({ '/nernst': 1000, '/simulate': 20 });
    expect(c.http.trustProxyHeaders).toBe(true);
    expect(c.http.trustedProxies).toEqual(['loopback', '10.0.0.0/8']);
    expect(c.http.port).toBe(9000);
  });

  it('listens on loopback in dev unless HOST says otherwise', () => {
    expect(loadConfig({ MFN_ENV: 'dev' }).http.host).toBe('127.0.0.1');
    expect(loadConfig({ MFN_ENV: 'dev', HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(loadConfig({ MFN_ENV: 'prod', ...PROD_KEYS, HOST: '127.0.0.1' }).http.host).toBe('127.0.0.1');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ MFN_RATE_LIMIT_REQUESTS: '   ', MFN_ENV: '' }).rateLimit.requests).toBe(100);
  });

  it.each([
    ['MFN_ENV', 'production'],
    ['MFN_ENV', 'test'],
    ['MFN_RATE_LIMIT_REQUESTS', 'abc'],
    ['MFN_RATE_LIMIT_REQUESTS', '0'],
    ['MFN_RATE_LIMIT_WINDOW', '1.5'],
    ['MFN_LOG_LEVEL', 'LOUD'],
    ['MFN_LOG_FORMAT', 'xml'],
    ['MFN_API_KEY_REQUIRED', 'maybe'],
    ['MFN_METRICS_ENABLED', 'on'],
    ['MFN_SECRETS_BACKEND', 'consul'],
    ['MFN_CRYPTO_ALGORITHM', 'ChaCha20-Poly1305'],
    ['MFN_CRYPTO_KEY_SIZE', '128'],
    ['MFN_CRYPTO_SIGNATURE_ALG', 'ECDSA'],
    ['MFN_RATE_LIMIT_ROUTES', 'nernst:10'],
    ['MFN_TRUSTED_PROXIES', 'everyone'],
    ['MFN_CORS_ORIGINS', 'not a url'],
    ['MFN_SECRETS_VAULT_URL', 'ftp://vault'],
    ['PORT', '70000'],
    ['MFN_AUTH_LOCKOUT_ENABLED', 'sometimes'],
    ['MFN_AUTH_LOCKOUT_FAILURES', '0'],
    ['MFN_AUTH_LOCKOUT_WINDOW_S', '0'],
    ['MFN_AUTH_LOCKOUT_S', '1.5'],
    ['MFN_IP_ALLOWLIST', '10.0.0.0/8,not-an-address'],
    ['MFN_IP_DENYLIST', '10.0.0.0/33'],
    ['MFN_IP_DENYLIST', 'fe80::1%eth0'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const err = errorOf({ [name]: value });
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0].startsWith(name)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('turns the brute-force lockout on wherever authentication is required, with its defaults', () => {
    expect(loadConfig({}).auth.lockout).toEqual({ enabled: false, maxFailures: 10, windowSeconds: 300, lockoutSeconds: 900 });
    expect(loadConfig({ MFN_ENV: 'prod', ...PROD_KEYS }).auth.lockout.enabled).toBe(true);
    expect(loadConfig({ MFN_API_KEY_REQUIRED: 'true', ...PROD_KEYS }).auth.lockout.enabled).toBe(true);
    expect(loadConfig({ MFN_ENV: 'prod', ...PROD_KEYS, MFN_AUTH_LOCKOUT_ENABLED: 'false' }).auth.lockout.enabled).toBe(false);
    // Small values keep tests fast.
    const small = loadConfig({ MFN_AUTH_LOCKOUT_FAILURES: '1', MFN_AUTH_LOCKOUT_WINDOW_S: '1', MFN_AUTH_LOCKOUT_S: '1' });
    expect(small.auth.lockout).toMatchObject({ maxFailures: 1, windowSeconds: 1, lockoutSeconds: 1 });
  });

  it('reads the address lists into canonical entries; unset or blank means no list', () => {
    const c = loadConfig({ MFN_IP_ALLOWLIST: ' 10.0.0.0/8, 2001:DB8::/32 ,192.0.2.7', MFN_IP_DENYLIST: '10.1.2.3' });
    expect(c.addressLists).toEqual({ allow: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'], deny: ['10.1.2.3'] });
    expect(loadConfig({ MFN_IP_ALLOWLIST: '  ' }).addressLists).toEqual({ allow: [], deny: [] });
    const err = errorOf({ MFN_IP_ALLOWLIST: '10.0.0.1,10.0.0.2,bad' });
    expect(err.message).toContain('MFN_IP_ALLOWLIST');
    expect(err.message).toContain('entry 3');
  });

  it('reads the Redis TLS settings; the CA file is read later, by the Redis connection', () => {
    expect(loadConfig({}).redis).toEqual({ tlsCaFile: undefined, tlsServername: undefined });
    const c = loadConfig({ MFN_REDIS_TLS_CA_FILE: ' /etc/mfn/redis-ca.pem ', MFN_REDIS_TLS_SERVERNAME: 'Redis.Internal.' });
    expect(c.redis).toEqual({ tlsCaFile: '/etc/mfn/redis-ca.pem', tlsServername: 'redis.internal' });
    const err = errorOf({ MFN_REDIS_TLS_SERVERNAME: 'https://redis:6380' });
    expect(err.message).toContain('MFN_REDIS_TLS_SERVERNAME must be a DNS host name');
  });

  it('names every bad variable in one line', () => {
    const err = errorOf({ MFN_RATE_LIMIT_REQUESTS: 'abc', MFN_ENV: 'production', MFN_LOG_LEVEL: 'LOUD' });
    expect(err.problems).toHaveLength(3);
    for (const name of ['MFN_RATE_LIMIT_REQUESTS', 'MFN_ENV', 'MFN_LOG_LEVEL']) expect(err.message).toContain(name);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('refuses prod without any API key source, and * as a prod CORS origin', () => {
    expect(errorOf({ MFN_ENV: 'prod' }).message).toMatch(/API key.*required/i);
    expect(errorOf({ MFN_ENV: 'prod', ...PROD_KEYS, MFN_CORS_ORIGINS: '*' }).message).toContain('MFN_CORS_ORIGINS');
    expect(loadConfig({ MFN_ENV: 'prod', MFN_API_KEY_FILE: '/run/secrets/api_key' }).env).toBe('prod');
  });

  it('names a missing master key along with the other problems when the configuration is refused', () => {
    const both = errorOf({ MFN_ENV: 'prod' });
    expect(both.problems).toHaveLength(2);
    expect(both.message).toMatch(/MFN_API_KEY or MFN_API_KEYS .* must be set/);
    expect(both.message).toMatch(/MFN_MASTER_KEY \(or MFN_MASTER_KEY_FILE\) must be set/);
    expect(errorOf({ MFN_ENV: 'prod', ...PROD_KEYS, MFN_LOG_LEVEL: 'LOUD' }).problems).toHaveLength(2);
    // Nothing to add when the master key has a source, crypto is off, or another backend holds the secrets.
    expect(errorOf({ MFN_ENV: 'prod', MFN_MASTER_KEY_FILE: '/run/secrets/master_key' }).problems).toHaveLength(1);
    expect(errorOf({ MFN_ENV: 'prod', MFN_CRYPTO_ENABLED: 'false' }).problems).toHaveLength(1);
    expect(errorOf({ MFN_ENV: 'staging' }).problems).toHaveLength(1);
    // A valid configuration leaves the master key to the secrets stage, which reads and checks it.
    expect(loadConfig({ MFN_ENV: 'prod', ...PROD_KEYS }).env).toBe('prod');
  });

  it('never puts a secret value in its error message', () => {
    const secret = 'sup3r-s3cret-value-that-must-not-leak';
    const err = errorOf({ MFN_ENV: 'bogus', MFN_API_KEY: secret, MFN_MASTER_KEY: secret });
    expect(err.message).not.toContain(secret);
  });

  it('keeps the environment snapshot out of serialisation', () => {
    const c = loadConfig({ MFN_API_KEY: 'hidden-key' });
    expect(c.environment.MFN_API_KEY).toBe('hidden-key');
    expect(JSON.stringify(c)).not.toContain('hidden-key');
    expect(Object.isFrozen(c.environment)).toBe(true);
  });

  it('derives the per-key compute share from the pool size, and takes explicit compute limits', () => {
    expect(loadConfig({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '64' }).compute).toMatchObject({ maxPerKey: 16, workLimit: 12_000 });
    expect(loadConfig({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '2' }).compute.maxPerKey).toBe(1);
    expect(loadConfig({ MFN_COMPUTE_WORKERS: '4', MFN_COMPUTE_QUEUE_MAX: '100' }).compute.maxPerKey).toBe(26);
    expect(loadConfig({ MFN_COMPUTE_MAX_PER_KEY: '3', MFN_COMPUTE_WORK_LIMIT: '500' }).compute).toMatchObject({ maxPerKey: 3, workLimit: 500 });
    const err = errorOf({ MFN_COMPUTE_MAX_PER_KEY: '0', MFN_COMPUTE_WORK_LIMIT: 'lots' });
    expect(err.problems).toHaveLength(2);
    for (const name of ['MFN_COMPUTE_MAX_PER_KEY', 'MFN_COMPUTE_WORK_LIMIT']) expect(err.message).toContain(name);
  });

  it('reports unknown MFN_ variables but not secrets or known ones', () => {
    expect(unknownVariables({ MFN_RATE_LIMT: '1', MFN_API_KEY: 'x', MFN_ENV: 'dev', HOME: '/' })).toEqual(['MFN_RATE_LIMT']);
  });
});
