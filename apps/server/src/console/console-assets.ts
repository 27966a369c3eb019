import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';

/** One file of the console, held in memory (the whole console is well under a megabyte). */
export interface ConsoleAsset {
  readonly body: Buffer;
  /** The gzip-compressed body the console build wrote beside it, if any. */
  readonly gzip: Buffer | undefined;
  readonly type: string;
  readonly etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** Where `@iotgw/console` put its build (dist/www), or undefined when it is not installed. */
export function defaultConsoleDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@iotgw/console/package.json');
    return join(dirname(pkg), 'dist', 'www');
  } catch {
    return undefined;
  }
}

/** Reads the built console (file name → asset); an empty map when `dir` is missing or not built. */
export function loadConsoleAssets(dir: string | undefined): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  if (dir === undefined || !existsSync(join(dir, 'index.html'))) return assets;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type === undefined) continue;
    const body = readFileSync(join(dir, name));
    const gz = join(dir, `${name}.gz`);
    assets.set(name, {
      body,
      gzip: existsSync(gz) ? readFileSync(gz) : undefined,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }
  return assets;
}
