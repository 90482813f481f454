import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configVariables, createConfig, urlPasswords } from '../src/config.js';
import { repoRoot } from './helpers/bot-process.js';

interface ComposeService {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

/**
 * Substitutes `${NAME}`, `${NAME:-default}` and `${NAME:?message}` as docker compose does, from `env`.
 * (The file's own syntax; no Docker engine runs here.)
 */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_whole, name: string, kind?: string, rest?: string) => {
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '?') throw new Error(`${name}: ${rest}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

// No Docker engine runs here: what can be checked is that the compose file parses, runs the services
// the README describes, and gives nashra only variables it reads, with values it accepts.
describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const nashra = Object.entries(compose.services).filter(([, service]) => service.build === '.');

  it('runs PostgreSQL 16 with a UTF-8 locale, and two nashra replicas that wait for it', () => {
    const postgres = compose.services.postgres!;
    expect(postgres.image).toMatch(/^postgres:16/);
    expect(postgres.environment?.POSTGRES_INITDB_ARGS).toBe('--encoding=UTF8 --locale=C.UTF-8');
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(nashra).toHaveLength(2);
    for (const [, service] of nashra) expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(fs.existsSync(path.join(repoRoot, 'Dockerfile'))).toBe(true);
  });

  it('gives each replica its own HTTP port, published, and a health check on /healthz at that port', () => {
    const ports = nashra.map(([, service]) => service.environment?.HTTP_PORT);
    expect(new Set(ports).size).toBe(2);
    for (const [, service] of nashra) {
      const port = service.environment!.HTTP_PORT!;
      expect(service.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      const check = service.healthcheck!.test.join(' ');
      expect(check).toContain('/healthz');
      expect(check).toContain('process.env.HTTP_PORT');
    }
  });

  it('sets only variables nashra reads, and values its configuration accepts', () => {
    const env = { BOT_TOKEN: '123456:ABC-compose', POSTGRES_PASSWORD: 'compose-pass' };
    for (const [name, service] of nashra) {
      const variables = Object.keys(service.environment ?? {});
      expect(variables.filter((variable) => !configVariables.includes(variable)), name).toEqual([]);
      expect(variables).toEqual(expect.arrayContaining(['BOT_TOKEN', 'DATABASE_URL', 'HTTP_PORT']));
      const resolved = Object.fromEntries(Object.entries(service.environment!).map(([key, value]) => [key, interpolate(String(value), env)]));
      expect(resolved.DATABASE_URL).toBe('postgres://nashra:compose-pass@postgres:5432/nashra');
      expect(resolved.BOT_TOKEN).toBe(env.BOT_TOKEN);
      // Everything but the PostgreSQL URL, which the store decides (see store/): the rest must validate as is.
      const config = createConfig({ ...resolved, DATABASE_URL: 'sqlite:/tmp/unused.sqlite' }, '/');
      expect(config.httpPort).toBe(Number(resolved.HTTP_PORT));
      expect(config.pollCron).toBe('*/5 * * * *');
      expect(config.webhook).toBeNull();
      expect(config.secrets).toContain(env.BOT_TOKEN);
      // The password in DATABASE_URL is found, so the logs redact it.
      expect(urlPasswords(resolved.DATABASE_URL!)).toEqual(['compose-pass']);
    }
  });

  it('refuses to start without BOT_TOKEN or POSTGRES_PASSWORD', () => {
    const [, service] = nashra[0]!;
    expect(() => interpolate(service.environment!.BOT_TOKEN!, {})).toThrow(/BOT_TOKEN/);
    expect(() => interpolate(service.environment!.DATABASE_URL!, { BOT_TOKEN: 'x' })).toThrow(/POSTGRES_PASSWORD/);
  });
});
