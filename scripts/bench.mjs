// `pnpm bench`: builds, runs the benchmark of every workspace package that has one (in one invocation,
// on this machine's Mosquitto/MariaDB where a bench needs them), then writes bench/results.json and the
// table in docs/performance.md. Figures are ratios against baselines measured in the same run.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { build, installIfNeeded, pnpm, root } from './lib.mjs';
import { useToolchain } from './toolchain.mjs';

await useToolchain(import.meta.url);
installIfNeeded();
build();

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const tmp = join(root, 'bench', 'tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const workspaces = [];
for (const group of ['packages', 'apps']) {
  if (!existsSync(join(root, group))) continue;
  for (const dir of readdirSync(join(root, group)).sort()) {
    const file = join(root, group, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.scripts?.bench && (only.length === 0 || only.some((o) => pkg.name.includes(o)))) {
      workspaces.push({ name: pkg.name, dir: join(group, dir) });
    }
  }
}

const sections = [];
let failed = 0;
for (const ws of workspaces) {
  const out = join(tmp, `${ws.name.replace(/[@/]/g, '_')}.json`);
  console.log(`\n=== ${ws.name} ===`);
  const started = Date.now();
  const status = pnpm(['--filter', ws.name, 'run', 'bench'], {
    allowFailure: true,
    env: { ...process.env, IOTGW_BENCH_OUT: out },
  });
  let figures = [];
  if (existsSync(out)) figures = JSON.parse(readFileSync(out, 'utf8'));
  if (status !== 0) failed++;
  sections.push({
    package: ws.name,
    status,
    seconds: Math.round((Date.now() - started) / 1000),
    ranAt: new Date().toISOString(),
    figures,
  });
}

const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
};
// A partial run (`pnpm bench <name>…`) replaces only the suites it ran; the others keep their last figures.
const resultsFile = join(root, 'bench', 'results.json');
if (only.length > 0 && existsSync(resultsFile)) {
  const previous = JSON.parse(readFileSync(resultsFile, 'utf8'));
  for (const old of previous.sections ?? []) {
    if (!sections.some((s) => s.package === old.package))
      sections.push({ ...old, machine: old.machine ?? previous.machine });
  }
  sections.sort((x, y) => x.package.localeCompare(y.package));
}
for (const s of sections) s.machine ??= machine;
const results = { machine, sections };
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

const fmt = (v) =>
  typeof v === 'number'
    ? Math.abs(v) >= 100
      ? Math.round(v).toLocaleString('en')
      : String(Number(v.toPrecision(3)))
    : '—';
const lines = [
  '# Performance',
  '',
  'Written by `pnpm bench` (do not edit by hand). Each figure is measured in one run on the machine below;',
  'ratios compare it with a baseline measured in the same run, because absolute numbers on shared machines are',
  'noisy. Targets come from the issues; "met" says whether this run reached them.',
  '',
  `Machine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.date}.`,
  '',
];
for (const s of sections) {
  lines.push(`## ${s.package}`, '', `Run ${s.ranAt ?? s.machine?.date ?? machine.date}, ${s.seconds} s.`, '');
  if (s.status !== 0)
    lines.push(`The benchmark exited with status ${s.status}; figures below may be partial.`, '');
  lines.push(
    '| figure | value | unit | baseline | ratio | target | met | conditions |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const f of s.figures) {
    const baseline = f.baseline ? `${f.baseline.figure}: ${fmt(f.baseline.value)}` : '—';
    const met = f.met === true ? 'yes' : f.met === false ? '**no**' : '—';
    lines.push(
      `| ${f.figure} | ${fmt(f.value)} | ${f.unit} | ${baseline} | ${fmt(f.ratio)} | ${f.target ?? '—'} | ${met} | ${f.conditions ?? ''} |`,
    );
  }
  lines.push('');
}
writeFileSync(join(root, 'docs', 'performance.md'), `${lines.join('\n')}\n`);
console.log(
  `\nwrote bench/results.json and docs/performance.md (${sections.length} benchmark suites${failed ? `, ${failed} failed` : ''})`,
);
process.exit(failed ? 1 : 0);
