import { defineProject } from 'vitest/config';
import { project } from '../../vitest.shared.js';

export default defineProject(
  project('system', {
    globalSetup: ['../../vitest.build-setup.ts'],
    testTimeout: 180_000,
    fileParallelism: false,
  }),
);
