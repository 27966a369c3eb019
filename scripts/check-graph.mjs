// Checks the workspace import rules: packages import each other only by package name (never a
// relative path into another package, never another package's src/), every @iotgw import is a declared
// workspace:* dependency, and the package graph has no cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { root } from './lib.mjs';

const problems = [];
const packages = new Map();
for (const group of ['packages', 'apps']) {
  const dir = join(root, group);
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {}
  for (const name of entries) {
    const pkgDir = join(dir, name);
    try {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      packages.set(pkg.name, { dir: pkgDir, pkg });
    } catch {}
  }
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e === 'dist' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|js|mjs)$/.test(e)) out.push(p);
  }
  return out;
}

const edges = new Map();
for (const [name, { dir, pkg }] of packages) {
  const declared = {
    ...pkg.dependencies,
    ...pkg.devDependencies,
    ...pkg.optionalDependencies,
    ...pkg.peerDependencies,
  };
  for (const [dep, range] of Object.entries(declared)) {
    if (dep.startsWith('@iotgw/') && range !== 'workspace:*')
      problems.push(`${name}: ${dep} must be "workspace:*" (is ${range})`);
  }
  edges.set(
    name,
    new Set(Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter((d) => packages.has(d))),
  );
  for (const file of walk(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      const where = relative(root, file);
      if (spec.startsWith('.')) {
        const target = resolve(file, '..', spec);
        for (const [other, o] of packages) {
          if (other !== name && (target === o.dir || target.startsWith(o.dir + sep))) {
            problems.push(`${where}: imports ${spec}, a path inside ${other}; import '${other}' instead`);
          }
        }
      } else if (spec.startsWith('@iotgw/')) {
        const base = spec.split('/').slice(0, 2).join('/');
        if (/\/src(\/|$)/.test(spec))
          problems.push(`${where}: imports ${spec}; use the package's exports map`);
        if (base !== name && !(base in declared))
          problems.push(`${where}: imports ${base} without declaring it in package.json`);
      }
    }
  }
}

const state = new Map();
function visit(n, stack) {
  if (state.get(n) === 'done') return;
  if (state.get(n) === 'open') {
    problems.push(`dependency cycle: ${[...stack.slice(stack.indexOf(n)), n].join(' -> ')}`);
    return;
  }
  state.set(n, 'open');
  for (const d of edges.get(n) ?? []) visit(d, [...stack, n]);
  state.set(n, 'done');
}
for (const n of edges.keys()) visit(n, []);

if (problems.length > 0) {
  console.error(`workspace graph: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`workspace graph: ${packages.size} packages, acyclic, imports by package name only`);
