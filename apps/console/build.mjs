// Bundles the console (src/main.tsx → dist/www/app.js + app.css) with esbuild, writes index.html with
// content hashes in the asset URLs, gzip copies the server sends as they are, and sizes.json (the bench
// and docs/console.md read it). No CDN, nothing fetched at run time.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist', 'www');
rmSync(join(here, 'dist'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { app: join(here, 'src', 'main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
});

const hash = (file) =>
  createHash('sha256')
    .update(readFileSync(join(out, file)))
    .digest('hex')
    .slice(0, 10);
const html = readFileSync(join(here, 'src', 'index.html'), 'utf8')
  .replace('%APP_JS%', `/console/app.js?v=${hash('app.js')}`)
  .replace('%APP_CSS%', `/console/app.css?v=${hash('app.css')}`);
writeFileSync(join(out, 'index.html'), html);

const sizes = {};
for (const file of ['index.html', 'app.js', 'app.css']) {
  const body = readFileSync(join(out, file));
  const gz = gzipSync(body, { level: 9 });
  writeFileSync(join(out, `${file}.gz`), gz);
  sizes[file] = { bytes: body.length, gzipBytes: gz.length };
}
writeFileSync(join(here, 'dist', 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
console.log(
  `console: app.js ${(sizes['app.js'].gzipBytes / 1024).toFixed(1)} KiB gzipped, app.css ${(sizes['app.css'].gzipBytes / 1024).toFixed(1)} KiB`,
);
