/** The service's version (also in package.json): reported by GET /, in logs and on traces. */
export const SERVICE_VERSION = '4.1.0';
