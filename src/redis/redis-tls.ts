import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { RedisConfig } from '../config';
import { RedisConfigError } from './redis-config-error';
import { usesTls } from './redis-url';

/** Upper bound for the CA bundle (a full public bundle is about 200 KiB). */
const MAX_CA_BYTES = 1024 * 1024;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export { RedisConfigError };

/**
 * The TLS options for the connection, or undefined for plain TCP. TLS is on exactly when the URL
 * scheme is `rediss` (`rediss://`, `rediss+sentinel://`, `rediss+cluster://`); a CA file or server name next to a plain `redis://` URL is refused rather than
 * ignored, so nobody believes the connection is encrypted when it is not. Certificates are always
 * verified: there is no switch to turn that off. The same options serve every connection of a
 * Sentinel or Cluster URL (Sentinels, masters, replicas, cluster nodes).
 */
export function redisTlsOptions(url: string, config: RedisConfig): ConnectionOptions | undefined {
  if (!usesTls(url)) {
    const stray = [config.tlsCaFile && 'MFN_REDIS_TLS_CA_FILE', config.tlsServername && 'MFN_REDIS_TLS_SERVERNAME'].filter(Boolean);
    if (stray.length > 0) {
      throw new RedisConfigError(`${stray.join(' and ')} set, but MFN_REDIS_URL does not use rediss:// (TLS): use rediss:// or unset them`);
    }
    return undefined;
  }
  const options: ConnectionOptions = { rejectUnauthorized: true };
  if (config.tlsCaFile) options.ca = readCaBundle(config.tlsCaFile);
  if (config.tlsServername) options.servername = config.tlsServername;
  return options;
}

/** Reads and checks the PEM bundle once, at start-up: every certificate in it must parse. */
export function readCaBundle(path: string): string {
  const fail = (problem: string) => new RedisConfigError(`MFN_REDIS_TLS_CA_FILE ${problem}`);
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path is MFN_REDIS_TLS_CA_FILE, operator configuration read once at start-up
    const info = statSync(path);
    if (!info.isFile()) throw fail('does not name a regular file');
    if (info.size > MAX_CA_BYTES) throw fail(`names a file larger than ${MAX_CA_BYTES} bytes`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path is MFN_REDIS_TLS_CA_FILE, operator configuration read once at start-up
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof RedisConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail('names a file that does not exist');
    if (code === 'EACCES' || code === 'EPERM') throw fail('names a file the service may not read (permission denied)');
    throw fail(`names a file that cannot be read (${typeof code === 'string' ? code : 'I/O error'})`);
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw fail('holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)');
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw fail(`holds an invalid certificate (number ${i + 1} in the file)`);
    }
  });
  return blocks.join('\n');
}
