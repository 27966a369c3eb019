// Shared vitest settings for every workspace project. Tests resolve workspace packages to their
// TypeScript sources through the "@iotgw/source" export condition, so no build is needed to test.
import type { UserWorkspaceConfig } from 'vitest/config';

export const sourceConditions = ['@iotgw/source', 'node', 'import', 'module', 'default'];

export function project(name: string, extra: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...extra,
    },
  };
}
