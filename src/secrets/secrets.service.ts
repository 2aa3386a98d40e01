import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { AppConfig } from '../config';
import { ROOT_LOGGER } from '../common';

export interface GetSecretOptions {
  required?: boolean;
}

/** Raised when a required secret is missing; the message names the secret, never a value. */
export class SecretNotFoundError extends Error {
  constructor(readonly secretName: string) {
    super(`Secret '${secretName}' is required but was not found`);
    this.name = 'SecretNotFoundError';
  }
}

/**
 * The only reader of secrets (API keys, master key, Redis URL, tokens). Values are loaded at
 * start-up from the configured backend and served from memory.
 *
 * Initial implementation: env backend only (variable, then `<NAME>_FILE`).
 */
@Injectable()
export class SecretsService implements OnModuleInit {
  private values = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private readonly log: Logger;

  constructor(
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.secrets' });
  }

  async onModuleInit(): Promise<void> {
    this.values = this.loadFromEnv();
    this.log.debug({ backend: this.config.secrets.backend, count: this.values.size }, 'secrets loaded');
  }

  private loadFromEnv(): Map<string, string> {
    const env = this.config.environment;
    const out = new Map<string, string>();
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith('MFN_') || value === undefined) continue;
      if (name.endsWith('_FILE')) continue;
      if (value.trim() !== '') out.set(name, value);
    }
    for (const [name, path] of Object.entries(env)) {
      if (!name.startsWith('MFN_') || !name.endsWith('_FILE') || !path) continue;
      const base = name.slice(0, -'_FILE'.length);
      if (out.has(base)) continue;
      const content = readFileSync(path, 'utf8').trim();
      if (content !== '') out.set(base, content);
    }
    return out;
  }

  get backendName(): string {
    return this.config.secrets.backend;
  }

  getSecret(name: string, options: GetSecretOptions = {}): string | undefined {
    const value = this.values.get(name);
    if (value === undefined && options.required) throw new SecretNotFoundError(name);
    return value;
  }

  /** Comma/newline list or JSON array, trimmed, empties dropped, order kept (SERVICE.md §10). */
  getList(name: string): string[] {
    const raw = this.values.get(name);
    if (raw === undefined) return [];
    const text = raw.trim();
    if (text.startsWith('[') && text.endsWith(']')) {
      const parsed = JSON.parse(text) as unknown[];
      return parsed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)).trim()).filter((v) => v !== '');
    }
    return text
      .replace(/\r/g, '')
      .split('\n')
      .flatMap((line) => line.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
  }

  /** Called after every refresh that changed at least one value (key rotation). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
