import { RedisConfigError } from './redis-config-error';
import { parseRedisTarget, topologyOf } from './redis-topology';
import { redactRedisUrl, usesTls } from './redis-url';

const refusal = (url: string): string => {
  try {
    parseRedisTarget(url);
  } catch (err) {
    expect(err).toBeInstanceOf(RedisConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a RedisConfigError');
};

describe('Redis topologies of MFN_REDIS_URL', () => {
  it('tells the topology by the scheme', () => {
    expect(topologyOf('redis://h:6379/0')).toBe('single');
    expect(topologyOf('/run/redis.sock')).toBe('single');
    expect(topologyOf('REDIS+SENTINEL://h/m')).toBe('sentinel');
    expect(topologyOf('rediss+cluster://h:7000')).toBe('cluster');
  });

  it('leaves a single-server URL to the client unchanged', () => {
    expect(parseRedisTarget(' redis://:pw@h:6379/2 ')).toEqual({ topology: 'single', url: 'redis://:pw@h:6379/2' });
  });

  it('parses Sentinel addresses, master name, database and both sets of credentials', () => {
    expect(parseRedisTarget('redis+sentinel://mfn:p%40ss@s1:26379,s2,[::1]:26380/mymaster/3?sentinelPassword=sp')).toEqual({
      topology: 'sentinel',
      tls: false,
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      db: 3,
      username: 'mfn',
      password: 'p@ss',
      sentinelPassword: 'sp',
    });
    expect(parseRedisTarget('rediss+sentinel://:pw@s1/m')).toMatchObject({ tls: true, db: 0, password: 'pw' });
  });

  it('parses Cluster seed nodes', () => {
    expect(parseRedisTarget('redis+cluster://:pw@n1:7000,n2:7001')).toEqual({
      topology: 'cluster',
      tls: false,
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      password: 'pw',
    });
    expect(parseRedisTarget('rediss+cluster://n1')).toMatchObject({ tls: true, nodes: [{ host: 'n1', port: 6379 }] });
  });

  it('refuses malformed URLs in one line without quoting them', () => {
    const messages = [
      refusal('redis+sentinel://:s3cret@s1:26379'),
      refusal('redis+sentinel://:s3cret@s1:26379/m/99'),
      refusal('redis+sentinel://:s3cret@s1:26379/m?password=x'),
      refusal('redis+sentinel://:s3cret@s1:26379/bad name'),
      refusal('redis+cluster://:s3cret@n1:7000/1'),
      refusal('redis+cluster://:s3cret@n1:99999'),
      refusal('redis+cluster://:s3cret@'),
      refusal(`redis+cluster://${Array.from({ length: 33 }, (_, i) => `n${i}:7000`).join(',')}`),
    ];
    for (const message of messages) {
      expect(message).toMatch(/^MFN_REDIS_URL/);
      expect(message).not.toContain('s3cret');
      expect(message).not.toContain('\n');
    }
  });

  it('redacts every password of a Sentinel or Cluster URL, and knows their TLS schemes', () => {
    expect(redactRedisUrl('redis+sentinel://mfn:s3cret@s1:26379,s2:26379/m/1?sentinelPassword=s3cret')).toBe(
      'redis+sentinel://mfn:***@s1:26379,s2:26379/m/1?sentinelPassword=***',
    );
    expect(redactRedisUrl('rediss+cluster://:p@ss@n1:7000,n2:7001')).toBe('rediss+cluster://:***@n1:7000,n2:7001');
    expect(redactRedisUrl('redis+cluster://n1:7000')).toBe('redis+cluster://n1:7000');
    expect(usesTls('rediss+sentinel://s1/m')).toBe(true);
    expect(usesTls('REDISS+CLUSTER://n1')).toBe(true);
    expect(usesTls('redis+cluster://n1')).toBe(false);
  });
});
