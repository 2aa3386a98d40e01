import { REDIS_PROBLEM_MESSAGES, redisProblemOf } from './redis-connection-problem';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('redisProblemOf', () => {
  it('tells a refused or missing password apart', () => {
    expect(redisProblemOf(new Error('WRONGPASS invalid username-password pair or user is disabled.'))).toBe('auth_refused');
    expect(redisProblemOf(new Error('ERR invalid password'))).toBe('auth_refused');
    expect(redisProblemOf(new Error('NOAUTH Authentication required.'))).toBe('auth_required');
  });

  it('tells certificate and handshake failures apart', () => {
    expect(redisProblemOf(withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'))).toBe('tls_untrusted');
    expect(redisProblemOf(withCode('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'))).toBe('tls_untrusted');
    expect(redisProblemOf(withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('tls_name_mismatch');
    expect(redisProblemOf(withCode('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'))).toBe('tls_failed');
  });

  it('looks through a Cluster summary error to the last node error', () => {
    const summary = Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' });
    expect(redisProblemOf(Object.assign(summary, { lastNodeError: new Error('WRONGPASS invalid username-password pair') }))).toBe('auth_refused');
    expect(redisProblemOf(Object.assign(new Error('Failed to refresh slots cache.'), { lastNodeError: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }))).toBeUndefined();
  });

  it('leaves plain unreachability to the users of the connection', () => {
    expect(redisProblemOf(withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'))).toBeUndefined();
    expect(redisProblemOf(new Error('Connection is closed.'))).toBeUndefined();
    expect(redisProblemOf('WRONGPASS')).toBeUndefined();
  });

  it('has one line per problem, naming the variable to fix', () => {
    for (const message of Object.values(REDIS_PROBLEM_MESSAGES)) {
      expect(message).not.toContain('\n');
      expect(message).toMatch(/MFN_REDIS_/);
    }
  });
});
