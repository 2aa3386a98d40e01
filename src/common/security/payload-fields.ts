/**
 * Request fields that carry payloads — binary data as base64 (checked by its strict alphabet)
 * or gradient numbers — rather than text: never scanned for injection patterns (only false
 * positives) and never echoed in validation details.
 */
export const PAYLOAD_FIELDS: ReadonlySet<string> = new Set([
  'plaintext',
  'ciphertext',
  'message',
  'signature',
  'associated_data',
  'public_key',
  'private_key',
  'gradients',
]);
