/** A Redis setting that cannot work; the message is one line and never holds the URL or a password. */
export class RedisConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisConfigError';
  }
}
