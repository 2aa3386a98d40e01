/** Injection token of the app's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
