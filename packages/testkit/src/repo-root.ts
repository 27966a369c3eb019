import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/testkit/src/repo-root.ts, or dist/repo-root.js). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
