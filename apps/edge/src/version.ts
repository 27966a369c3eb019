import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to dist/ (or embedded by the artifact bundler). */
export function edgeVersion(): string {
  const embedded = (globalThis as { __IOTGW_EDGE_VERSION__?: string }).__IOTGW_EDGE_VERSION__;
  if (embedded) return embedded;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
