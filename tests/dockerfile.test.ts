import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/bot-process.js';

// No Docker engine runs here, so the image cannot be built in tests; what can be checked is that the
// Dockerfile refers to files that exist and runs what the project really provides.
describe('the Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  it('copies only files that exist in the repository', () => {
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].map((match) => match[1]!.trim().split(/\s+/).slice(0, -1));
    expect(copies.length).toBeGreaterThan(2);
    for (const sources of copies) for (const source of sources) expect(fs.existsSync(path.join(repoRoot, source)), source).toBe(true);
  });

  it('builds with the build script and runs the compiled entry point with node, not npm', () => {
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(pkg.scripts.build).toBeDefined();
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(fs.existsSync(path.join(repoRoot, 'src', 'main.ts'))).toBe(true);
    expect(dockerfile).toMatch(/^FROM node:22/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
