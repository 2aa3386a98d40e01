/* eslint-disable security/detect-non-literal-fs-filename -- test code: writes the test CA only into the temporary directory it creates */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A throwaway certificate authority and one server certificate it signed, as PEM files. */
export interface TestCa {
  caFile: string;
  certFile: string;
  keyFile: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * Generates, with the openssl binary, a CA (P-256, one day) and a server certificate for
 * `altNames` (subjectAltName entries such as `IP:127.0.0.1`, `DNS:redis.mfn.test`) under `dir/name`.
 */
export function createTestCa(dir: string, name: string, altNames: string[]): TestCa {
  const home = join(dir, name);
  mkdirSync(home, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExtensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', `/CN=${name} test CA`, ...caExtensions], home);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=redis'], home);
  writeFileSync(join(home, 'server.ext'), `subjectAltName=${altNames.join(',')}\nextendedKeyUsage=serverAuth\n`);
  const signing = ['-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'server.ext'];
  openssl(['x509', '-req', '-in', 'server.csr', '-out', 'server.pem', ...signing], home);
  return { caFile: join(home, 'ca.pem'), certFile: join(home, 'server.pem'), keyFile: join(home, 'server.key') };
}
