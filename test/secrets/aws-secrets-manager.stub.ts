import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StubHttpServer } from '../helpers/stub-http-server';

/**
 * A local AWS Secrets Manager speaking the real wire protocol: JSON 1.1 over `POST /` with
 * `X-Amz-Target: secretsmanager.GetSecretValue`, SigV4 signatures checked against the
 * configured credentials, AWS error shapes (`{"__type": …, "message": …}` with HTTP 400/500).
 */
export interface StubCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

interface StoredSecret {
  secretString?: string;
  secretBinary?: Buffer;
  versionId: string;
  createdDate: number;
}

export interface ReceivedAwsRequest {
  target: string | undefined;
  contentType: string | undefined;
  body: unknown;
  signatureValid: boolean;
  region?: string;
  service?: string;
}

const JSON11 = 'application/x-amz-json-1.1';

export class AwsSecretsManagerStub {
  readonly credentials: StubCredentials = {
    accessKeyId: 'AKIDSTUBEXAMPLE00001',
    secretAccessKey: 'stub/secret/access/key/for/local/tests',
  };
  readonly region = 'eu-west-1';
  readonly requests: ReceivedAwsRequest[] = [];
  /** Delay before each answer (slow-server tests). */
  delayMs = 0;
  /** Statuses to answer the next requests with (500 → InternalServiceError). */
  failNext: number[] = [];
  private readonly secrets = new Map<string, StoredSecret>();
  private readonly http = new StubHttpServer((req, res) => this.handle(req, res));

  setSecretString(name: string, value: string): void {
    this.secrets.set(name, { secretString: value, versionId: randomUUID(), createdDate: Date.now() / 1000 });
  }

  setSecretBinary(name: string, value: Buffer): void {
    this.secrets.set(name, { secretBinary: value, versionId: randomUUID(), createdDate: Date.now() / 1000 });
  }

  deleteSecret(name: string): void {
    this.secrets.delete(name);
  }

  arnOf(name: string): string {
    return `arn:aws:secretsmanager:${this.region}:123456789012:secret:${name}-AbCdEf`;
  }

  /**
   * What the SDK's default credential chain reads from the process environment (as it reads
   * IRSA variables in a pod): this stub's credentials, and no instance metadata, profile or
   * shared files of the machine. Unset variables are `undefined`.
   */
  sdkEnvironment(): Record<string, string | undefined> {
    return {
      AWS_ACCESS_KEY_ID: this.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.credentials.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/mfn-test-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mfn-test-aws-credentials',
      AWS_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
    };
  }

  /** Forgets the requests seen and every injected fault (delay, failures). */
  reset(): void {
    this.requests.length = 0;
    this.delayMs = 0;
    this.failNext = [];
  }

  start(): Promise<string> {
    return this.http.start();
  }

  get url(): string {
    return this.http.url;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      body = undefined;
    }
    const auth = verifySigV4(req, raw, this.credentials);
    const target = header(req, 'x-amz-target');
    this.requests.push({ target, contentType: header(req, 'content-type'), body, signatureValid: auth.valid, region: auth.region, service: auth.service });

    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;

    const status = this.failNext.shift();
    if (status !== undefined) return awsError(res, status, status >= 500 ? 'InternalServiceError' : 'ThrottlingException', 'Injected failure');
    if (req.method !== 'POST' || req.url !== '/') return awsError(res, 404, 'UnknownOperationException', 'Not found');
    if (header(req, 'content-type') !== JSON11) return awsError(res, 400, 'SerializationException', 'Bad content type');
    if (!auth.known) return awsError(res, 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (!auth.valid) {
      return awsError(res, 400, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
    }
    if (target !== 'secretsmanager.GetSecretValue') return awsError(res, 400, 'UnknownOperationException', 'Unknown operation');
    const secretId = (body as { SecretId?: unknown } | undefined)?.SecretId;
    if (typeof secretId !== 'string' || secretId === '') return awsError(res, 400, 'ValidationException', 'SecretId is required');

    const name = secretId.startsWith('arn:') ? [...this.secrets.keys()].find((n) => this.arnOf(n) === secretId) : secretId;
    const stored = name !== undefined ? this.secrets.get(name) : undefined;
    if (!stored || name === undefined) {
      return awsError(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    const answer: Record<string, unknown> = {
      ARN: this.arnOf(name),
      Name: name,
      VersionId: stored.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: stored.createdDate,
    };
    if (stored.secretString !== undefined) answer.SecretString = stored.secretString;
    if (stored.secretBinary !== undefined) answer.SecretBinary = stored.secretBinary.toString('base64');
    send(res, 200, answer);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  // eslint-disable-next-line security/detect-object-injection -- `name` is a header name the stub's own code asks for
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON11,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...extra,
  });
  res.end(text);
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { __type: type, message }, { 'x-amzn-ErrorType': `${type}:` });
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Recomputes the AWS Signature Version 4 of a request (single-chunk payload, no query string)
 * and compares it with the one in the Authorization header.
 */
function verifySigV4(req: IncomingMessage, body: Buffer, creds: StubCredentials): { known: boolean; valid: boolean; region?: string; service?: string } {
  const authorization = header(req, 'authorization') ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
    authorization,
  );
  if (!match) return { known: false, valid: false };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  if (accessKeyId !== creds.accessKeyId) return { known: false, valid: false, region, service };
  const amzDate = header(req, 'x-amz-date') ?? '';
  const names = signedHeaders.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${(header(req, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const [path, query = ''] = (req.url ?? '/').split('?');
  const payloadHash = header(req, 'x-amz-content-sha256') ?? sha256(body);
  const canonicalRequest = [req.method, path, query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  const valid = names.includes('host') && amzDate.startsWith(date) && given.length === expected.length && timingSafeEqual(given, expected);
  return { known: true, valid, region, service };
}
