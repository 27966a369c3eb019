import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './support/build-dist.js';

const infra = join(repoRoot, 'infra');
const dockerfile = readFileSync(join(infra, 'docker/server.Dockerfile'), 'utf8');

/** Dockerfile instructions with continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: (op as string).toUpperCase(), args: rest.join(' ') };
    });
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  env_file?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('infra/docker/server.Dockerfile', () => {
  const all = instructions(dockerfile);
  const stages = all.filter((i) => i.op === 'FROM');
  const finalStage = all.slice(all.lastIndexOf(stages[stages.length - 1] as { op: string; args: string }));

  it('is multi-stage on Node 24 slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(all.find((i) => i.op === 'ARG')?.args).toBe('NODE_VERSION=24');
    for (const s of stages) expect(s.args).toMatch(/^node:\$\{NODE_VERSION\}-slim AS \w+$/);
    expect(dockerfile).toContain('deploy --prod');
  });

  it('runs as a non-root user created in the final stage', () => {
    const user = finalStage.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(
      finalStage.some((i) => i.op === 'RUN' && i.args.includes(`useradd`) && i.args.includes(` ${user}`)),
    ).toBe(true);
  });

  it('has a HEALTHCHECK on /readyz that passes on 200 and fails on 503', async () => {
    const hc = finalStage.find((i) => i.op === 'HEALTHCHECK');
    expect(hc?.args).toContain('/readyz');
    const cmd = JSON.parse((hc?.args ?? '').replace(/^.*?CMD\s+/, '')) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    let status = 200;
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/readyz' ? status : 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = String((server.address() as { port: number }).port);
    const run = promisify(execFile);
    try {
      await run(process.execPath, cmd.slice(1), { env: { HTTP_PORT: port } });
      status = 503;
      await expect(run(process.execPath, cmd.slice(1), { env: { HTTP_PORT: port } })).rejects.toMatchObject({
        code: 1,
      });
    } finally {
      server.close();
    }
  });

  it('starts dist/main.js and keeps node_modules out of the build context', () => {
    expect(finalStage.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["node", "/app/dist/main.js"]');
    expect(finalStage.find((i) => i.op === 'EXPOSE')?.args).toBe('8080');
    const ignore = readFileSync(join(infra, 'docker/server.Dockerfile.dockerignore'), 'utf8');
    expect(ignore).toContain('**/node_modules');
    expect(ignore).toContain('**/*.env');
  });
});

describe('infra/compose.yaml', () => {
  const compose = parse(readFileSync(join(infra, 'compose.yaml'), 'utf8')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const { server, mariadb, mosquitto } = compose.services;

  it('runs the server, MariaDB and Mosquitto', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['mariadb', 'mosquitto', 'server']);
    expect(server?.build).toEqual({ context: '..', dockerfile: 'infra/docker/server.Dockerfile' });
    expect(existsSync(join(infra, server?.build?.context ?? '', server?.build?.dockerfile ?? ''))).toBe(true);
    expect(mariadb?.image).toMatch(/^mariadb:/);
    expect(mosquitto?.image).toMatch(/^eclipse-mosquitto:2/);
  });

  it('mounts the project Mosquitto configuration and keeps its data', () => {
    expect(mosquitto?.volumes).toContain('./mosquitto/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro');
    expect(existsSync(join(infra, 'mosquitto/mosquitto.conf'))).toBe(true);
    expect(mosquitto?.volumes?.some((v) => v.endsWith(':/mosquitto/data'))).toBe(true);
  });

  it('starts the server once MariaDB is healthy and points it at both', () => {
    expect(mariadb?.healthcheck?.test).toBeDefined();
    expect(server?.depends_on?.['mariadb']).toEqual({ condition: 'service_healthy' });
    expect(server?.environment).toMatchObject({ DB_HOST: 'mariadb', MQTT_URL: 'mqtt://mosquitto:1883' });
  });

  it('keeps secrets in env files, never in the compose file', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const key of Object.keys(service.environment ?? {})) {
        expect(key, `${name}.environment`).not.toMatch(/PASSWORD|TOKEN|SECRET/);
      }
    }
    for (const service of [server, mariadb]) {
      for (const file of service?.env_file ?? []) {
        expect(file).toMatch(/^\.\/env\/.+\.env$/);
        expect(existsSync(join(infra, `${file}.example`)), `${file}.example`).toBe(true);
      }
    }
    const serverEnv = readFileSync(join(infra, 'env/server.env.example'), 'utf8');
    expect(serverEnv).toMatch(/^DB_PASSWORD=/m);
    expect(serverEnv).toMatch(/^API_TOKENS=/m);
    expect(readFileSync(join(infra, 'env/mariadb.env.example'), 'utf8')).toMatch(/^MARIADB_PASSWORD=/m);
  });
});
