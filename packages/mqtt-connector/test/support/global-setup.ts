import { buildPackage } from './build-package.js';

/**
 * Runs once before the test files: the crash and WebSocket tests start child processes on the built
 * package (turbo build, cached when nothing changed). Building once here keeps parallel test files from
 * building the same dist/ at the same time.
 */
export default function setup(): void {
  buildPackage();
}
