import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GetSecretValueCommandOutput, SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SecretsBackendError } from '../secrets.errors';
import { mapFromJsonObject } from '../secret-files';
import type { SecretMap } from '../secret-files';
import { DeadlineExceededError, callWithRetries } from '../remote-call';
import type { SecretsBackend } from './secrets-backend';

export interface AwsSecretsBackendOptions {
  /** Secret id or ARN (MFN_SECRETS_AWS_NAME). */
  name?: string;
  region?: string;
  /** Private (VPC) endpoint or a local server; default is the public regional endpoint. */
  endpoint?: string;
  timeoutMs: number;
  retries: number;
  /** Backoff base between retries (tests shorten it). */
  retryDelayMs?: number;
  /**
   * Extra client settings. Production passes none, so credentials come from the SDK's default
   * chain (IRSA web identity, ECS/EC2 roles, env, profile); tests pass static credentials.
   */
  client?: Partial<SecretsManagerClientConfig>;
}

/** Errors where AWS understood us and said no: retrying cannot help. */
const AUTH_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'ExpiredToken',
  'SignatureDoesNotMatch',
  'DecryptionFailure',
]);
const RETRYABLE_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'InternalServiceError', 'ServiceUnavailable', 'RequestTimeout']);

/**
 * AWS Secrets Manager through the real @aws-sdk/client-secrets-manager (SigV4, JSON 1.1
 * `GetSecretValue` for the current version). The SDK's own retries are switched off so that
 * deadline, retry count and backoff are the same for every remote backend.
 *
 * `SecretString` holding a JSON object is the map of names to values; plain (non-JSON) text
 * becomes `{<secret name>: text}`; any other JSON, text that looks like broken JSON, or a
 * binary-only secret is refused.
 */
export class AwsSecretsBackend implements SecretsBackend {
  readonly name = 'aws' as const;
  readonly mayBeEmpty = false;
  private client?: SecretsManagerClient;

  constructor(private readonly options: AwsSecretsBackendOptions) {}

  async load(): Promise<SecretMap> {
    const { name, region } = this.options;
    if (!name) throw this.error('config', 'MFN_SECRETS_AWS_NAME must be set when using the aws secrets backend');
    if (!region) throw this.error('config', 'MFN_SECRETS_AWS_REGION (or AWS_REGION) must be set when using the aws secrets backend');
    const client = this.getClient(region);
    let output: GetSecretValueCommandOutput;
    try {
      output = await callWithRetries((signal) => client.send(new GetSecretValueCommand({ SecretId: name }), { abortSignal: signal }), {
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        baseDelayMs: this.options.retryDelayMs,
        isRetryable: (err) => classifyAwsError(err).retryable,
      });
    } catch (err) {
      const { kind, reason } = classifyAwsError(err);
      throw this.error(kind, reason);
    }
    return parseAwsSecretString(name, output.SecretString, (reason) => this.error('invalid', reason));
  }

  close(): void {
    this.client?.destroy();
    this.client = undefined;
  }

  private getClient(region: string): SecretsManagerClient {
    this.client ??= new SecretsManagerClient({
      region,
      endpoint: this.options.endpoint,
      maxAttempts: 1,
      requestHandler: {
        connectionTimeout: this.options.timeoutMs,
        requestTimeout: this.options.timeoutMs,
        throwOnRequestTimeout: true,
      },
      ...this.options.client,
    });
    return this.client;
  }

  private error(kind: SecretsBackendError['kind'], reason: string): SecretsBackendError {
    return new SecretsBackendError(this.name, kind, reason);
  }
}

interface AwsFailure {
  kind: SecretsBackendError['kind'];
  reason: string;
  retryable: boolean;
}

/**
 * Maps SDK and network errors to a failure kind. Only the error's type name and HTTP status are
 * reported: AWS messages can carry account ids and ARNs, and a hostile endpoint could put
 * anything in them.
 */
export function classifyAwsError(err: unknown): AwsFailure {
  if (err instanceof DeadlineExceededError) {
    return { kind: 'timeout', reason: `AWS Secrets Manager did not answer within ${err.timeoutMs} ms`, retryable: true };
  }
  const e = (err ?? {}) as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const type = safeName(e.name);
  const status = e.$metadata?.httpStatusCode;
  if (type === 'ResourceNotFoundException') {
    return { kind: 'not_found', reason: 'the secret named by MFN_SECRETS_AWS_NAME does not exist (ResourceNotFoundException)', retryable: false };
  }
  if (AUTH_ERRORS.has(type)) return { kind: 'auth', reason: `AWS refused access to the secret (${type})`, retryable: false };
  if (type === 'CredentialsProviderError') {
    return { kind: 'auth', reason: 'AWS credentials could not be resolved (check IRSA / the instance role)', retryable: false };
  }
  if (type === 'TimeoutError' || type === 'AbortError' || e.code === 'ETIMEDOUT') {
    return { kind: 'timeout', reason: 'AWS Secrets Manager did not answer in time', retryable: true };
  }
  if (RETRYABLE_ERRORS.has(type) || e.$retryable || (status !== undefined && (status >= 500 || status === 429))) {
    return { kind: 'unreachable', reason: `AWS Secrets Manager is unavailable (${type}${status ? `, HTTP ${status}` : ''})`, retryable: true };
  }
  if (status === undefined) {
    // No HTTP answer at all: connection refused, DNS, TLS.
    const code = typeof e.code === 'string' && /^[A-Z0-9_]{2,64}$/.test(e.code) ? e.code : type;
    return { kind: 'unreachable', reason: `AWS Secrets Manager is unreachable (${code})`, retryable: true };
  }
  return { kind: 'invalid', reason: `AWS Secrets Manager rejected the request (${type}, HTTP ${status})`, retryable: false };
}

function safeName(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(name) ? name : 'UnknownError';
}

/** Turns `SecretString` into the map of secrets (see the class comment for the rules). */
export function parseAwsSecretString(secretName: string, secretString: string | undefined, invalid: (reason: string) => Error): Map<string, string> {
  if (secretString === undefined || secretString === null) {
    throw invalid('the secret has no SecretString (binary secrets are not supported)');
  }
  const text = secretString.trim();
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (!isJson) {
    if (text.startsWith('{') || text.startsWith('[')) throw invalid('SecretString is not valid JSON');
    return text === '' ? new Map() : new Map([[secretName, text]]);
  }
  return mapFromJsonObject(parsed, (problem) => invalid(`SecretString ${problem.replace(/^content /, '')}`));
}
