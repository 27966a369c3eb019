import { defineProject } from 'vitest/config';
import { project } from '../../vitest.shared.js';

export default defineProject(
  project('console', {
    globalSetup: ['../../vitest.build-setup.ts'],
    testTimeout: 120_000,
    fileParallelism: false,
  }),
);
