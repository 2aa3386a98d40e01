import type { OpenAPIObject } from '@nestjs/swagger';
import { withReplacements } from './live-examples';
import { PLACEHOLDERS, applyRequestExamples } from './request-examples';

function documentWith(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/decrypt': {
        post: { operationId: 'decrypt', responses: {}, requestBody: { content: { 'application/json': { schema: {} } } } },
      },
      '/api/keys/{key_id}': {
        get: { operationId: 'describeKey', responses: {}, parameters: [{ name: 'key_id', in: 'path' }] },
      },
    },
  };
}

describe('request examples', () => {
  it('sets body and path parameter examples by operation id', () => {
    const doc = documentWith();
    applyRequestExamples(doc, { decrypt: { body: { ciphertext: 'c' } }, describeKey: { params: { key_id: 'k' } } });
    expect(doc.paths['/api/decrypt'].post?.requestBody).toMatchObject({ content: { 'application/json': { example: { ciphertext: 'c' } } } });
    expect(doc.paths['/api/keys/{key_id}'].get?.parameters).toEqual([{ name: 'key_id', in: 'path', example: 'k' }]);
  });

  it('refuses examples for what the document does not have', () => {
    expect(() => applyRequestExamples(documentWith(), { nope: { body: {} } })).toThrow(/unknown operation nope/);
    expect(() => applyRequestExamples(documentWith(), { describeKey: { body: {} } })).toThrow(/takes no JSON body/);
    expect(() => applyRequestExamples(documentWith(), { describeKey: { params: { grantee: 'g' } } })).toThrow(/no path parameter grantee/);
  });

  it('replaces placeholders in a copy, leaving the built document as it is', () => {
    const doc = documentWith();
    applyRequestExamples(doc, { decrypt: { body: { ciphertext: PLACEHOLDERS.ciphertext, batch_input: [{ ciphertext: PLACEHOLDERS.ciphertext }] } } });
    const live = withReplacements(doc, new Map([[PLACEHOLDERS.ciphertext, 'mfn:v1:live']]));
    const example = (d: OpenAPIObject) => (d.paths['/api/decrypt'].post?.requestBody as { content: Record<string, { example: unknown }> }).content['application/json'].example;
    expect(example(live)).toEqual({ ciphertext: 'mfn:v1:live', batch_input: [{ ciphertext: 'mfn:v1:live' }] });
    expect(example(doc)).toEqual({ ciphertext: PLACEHOLDERS.ciphertext, batch_input: [{ ciphertext: PLACEHOLDERS.ciphertext }] });
    expect(withReplacements(doc, new Map())).toBe(doc);
  });
});
