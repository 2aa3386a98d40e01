/** Injection token of the app's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The level audit records are written at: INFO, or lower when the logger itself is lower. The
 * audit trail does not disappear when operators quieten the application log to WARNING.
 */
export function auditLevelOf(logger: { level: string }): string {
  return logger.level === 'debug' || logger.level === 'trace' ? logger.level : 'info';
}
