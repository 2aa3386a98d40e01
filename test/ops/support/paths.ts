import { join } from 'node:path';

/** The repository root (where the Dockerfile, docker-compose.yml and k8s/ live). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
