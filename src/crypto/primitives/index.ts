export * from './aes-gcm';
export * from './base64';
export * from './ed25519';
export * from './hkdf';
export * from './hmac';
export * from './pbkdf2';
export * from './x25519';
