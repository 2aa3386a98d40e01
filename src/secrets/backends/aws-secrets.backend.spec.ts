import { ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { DeadlineExceededError } from '../remote-call';
import { SecretsBackendError } from '../secrets.errors';
import { AwsSecretsBackend, classifyAwsError, parseAwsSecretString } from './aws-secrets.backend';

const invalid = (reason: string) => new SecretsBackendError('aws', 'invalid', reason);

describe('AwsSecretsBackend', () => {
  describe('parseAwsSecretString', () => {
    it('reads a JSON object of names to strings', () => {
      expect(Object.fromEntries(parseAwsSecretString('mfn/prod', '{"MFN_API_KEY":" k ","MFN_API_KEYS":"a,b"}', invalid))).toEqual({
        MFN_API_KEY: 'k',
        MFN_API_KEYS: 'a,b',
      });
    });

    it('maps plain text to the secret name', () => {
      expect(Object.fromEntries(parseAwsSecretString('MFN_API_KEY', '  plain-key\n', invalid))).toEqual({ MFN_API_KEY: 'plain-key' });
    });

    it('refuses binary-only secrets, other JSON and broken JSON without quoting them', () => {
      expect(() => parseAwsSecretString('n', undefined, invalid)).toThrow('has no SecretString');
      expect(() => parseAwsSecretString('n', '["sk-live-1"]', invalid)).toThrow('SecretString is not a JSON object of names to strings');
      expect(() => parseAwsSecretString('n', '42', invalid)).toThrow('SecretString is not a JSON object');
      expect(() => parseAwsSecretString('n', '{"MFN_API_KEY": 5}', invalid)).toThrow('SecretString entry #1 is not a string');
      let message = '';
      try {
        parseAwsSecretString('n', '{"MFN_API_KEY": "sk-live-1"', invalid);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toBe("Secrets backend 'aws' failed: SecretString is not valid JSON");
    });
  });

  describe('classifyAwsError', () => {
    it('sorts failures into kinds and says which are worth retrying', () => {
      const notFound = new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } });
      expect(classifyAwsError(notFound)).toMatchObject({ kind: 'not_found', retryable: false });
      expect(classifyAwsError(Object.assign(new Error('x'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }))).toMatchObject({
        kind: 'auth',
        retryable: false,
      });
      expect(classifyAwsError(Object.assign(new Error('x'), { name: 'InternalServiceError', $metadata: { httpStatusCode: 500 } }))).toMatchObject({
        kind: 'unreachable',
        retryable: true,
      });
      expect(classifyAwsError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toMatchObject({
        kind: 'unreachable',
        reason: 'AWS Secrets Manager is unreachable (ECONNREFUSED)',
        retryable: true,
      });
      expect(classifyAwsError(new DeadlineExceededError(50))).toMatchObject({ kind: 'timeout', retryable: true });
      expect(classifyAwsError(Object.assign(new Error('x'), { name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } }))).toMatchObject({
        kind: 'invalid',
        retryable: false,
      });
    });

    it('never repeats the error message, which may carry ARNs or anything a hostile endpoint sent', () => {
      const err = Object.assign(new Error('arn:aws:secretsmanager:eu-west-1:123456789012:secret:x'), {
        name: 'evil name\nwith newline',
        $metadata: { httpStatusCode: 400 },
      });
      const { reason } = classifyAwsError(err);
      expect(reason).not.toContain('arn:');
      expect(reason).not.toContain('\n');
      expect(reason).toContain('UnknownError');
    });
  });

  it('requires a secret name and a region before calling AWS', async () => {
    const noName = await new AwsSecretsBackend({ region: 'eu-west-1', timeoutMs: 100, retries: 0 }).load().catch((e: unknown) => e);
    expect((noName as SecretsBackendError).kind).toBe('config');
    expect((noName as Error).message).toContain('MFN_SECRETS_AWS_NAME must be set');
    const noRegion = await new AwsSecretsBackend({ name: 'mfn/prod', timeoutMs: 100, retries: 0 }).load().catch((e: unknown) => e);
    expect((noRegion as Error).message).toContain('MFN_SECRETS_AWS_REGION (or AWS_REGION) must be set');
  });
});
