/**
 * Connection failures an operator must fix on their side (credentials, certificates), told apart
 * from plain unreachability so each gets one clear warning instead of the client's raw errors.
 */
export type RedisProblem = 'auth_refused' | 'auth_required' | 'tls_untrusted' | 'tls_name_mismatch' | 'tls_failed';

/** Node's certificate verification codes that mean "this CA does not vouch for the server". */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'INVALID_CA',
]);

export const REDIS_PROBLEM_MESSAGES: Record<RedisProblem, string> = {
  auth_refused:
    'Redis refused the password: check the credentials in MFN_REDIS_URL (redis://:password@host or redis://user:password@host; a Sentinel password goes in ?sentinelPassword=)',
  auth_required: 'Redis requires a password: MFN_REDIS_URL has none (redis://:password@host; a Sentinel password goes in ?sentinelPassword=)',
  tls_untrusted: 'Redis TLS certificate not trusted: the server certificate is not signed by a CA in MFN_REDIS_TLS_CA_FILE (or the system CAs)',
  tls_name_mismatch:
    'Redis TLS certificate does not name the host of MFN_REDIS_URL: connect by a name the certificate holds, or set MFN_REDIS_TLS_SERVERNAME',
  tls_failed: 'Redis TLS handshake failed: check that the server speaks TLS on the port in MFN_REDIS_URL (rediss://)',
};

/** The problem behind a client error, or undefined for anything else (refused, reset, timeout). */
export function redisProblemOf(err: unknown): RedisProblem | undefined {
  // By shape, not instanceof: an error made in another realm (a test sandbox, a VM context) is still one.
  if (typeof err !== 'object' || err === null || typeof (err as Error).message !== 'string') return undefined;
  // A Cluster that reaches no node reports a summary error carrying the last node's own error.
  const inner = (err as { lastNodeError?: unknown }).lastNodeError;
  if (inner !== undefined && inner !== err) return redisProblemOf(inner);
  const { code, message } = err as NodeJS.ErrnoException;
  if (typeof code === 'string') {
    if (UNTRUSTED_CODES.has(code)) return 'tls_untrusted';
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls_name_mismatch';
    if (code.startsWith('ERR_SSL_') || code === 'EPROTO') return 'tls_failed';
  }
  // Redis 6+ answers a wrong password with WRONGPASS; older servers with "ERR invalid password".
  if (/^WRONGPASS\b|^ERR invalid password/.test(message)) return 'auth_refused';
  if (/^NOAUTH\b/.test(message)) return 'auth_required';
  return undefined;
}
