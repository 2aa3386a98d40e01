import { redactRedisUrl, usesTls } from './redis-url';

describe('Redis URL helpers', () => {
  it('turns TLS on for rediss:// only, whatever the case of the scheme', () => {
    expect(usesTls('rediss://h:6380/0')).toBe(true);
    expect(usesTls(' REDISS://:pw@h:6380/0')).toBe(true);
    expect(usesTls('redis://h:6379/0')).toBe(false);
    expect(usesTls('h:6379')).toBe(false);
  });

  it('replaces the password and keeps the rest', () => {
    expect(redactRedisUrl('redis://:s3cret@redis:6379/0')).toBe('redis://:***@redis:6379/0');
    expect(redactRedisUrl('rediss://mfn:p%40ss@cache.example.com:6380/2')).toBe('rediss://mfn:***@cache.example.com:6380/2');
    expect(redactRedisUrl('redis://127.0.0.1:6379/11')).toBe('redis://127.0.0.1:6379/11');
  });

  it('replaces a password given as a query option, also after a Unix socket path', () => {
    expect(redactRedisUrl('redis://redis:6379/0?password=s3cret&db=1')).toBe('redis://redis:6379/0?password=***&db=1');
    expect(redactRedisUrl('/run/redis/redis.sock?password=s3cret')).toBe('/run/redis/redis.sock?password=***');
    expect(redactRedisUrl('/run/redis/redis.sock')).toBe('/run/redis/redis.sock');
  });

  it('never echoes a value it cannot parse', () => {
    expect(redactRedisUrl('not a url with pw s3cret')).toBe('(unparsable URL)');
  });
});
