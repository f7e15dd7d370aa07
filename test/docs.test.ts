// Builds the reference docs exactly as `npm run docs` does (rule catalogue, then TypeDoc with
// warnings as errors) and checks what a reader relies on: a clean build, the site's entry page,
// a rule catalogue that lists every rule, and rendered `@default`s on construct props.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { CONTROL_TOWER_DECISIONS, ENGINE_CHECKS, RISK_RULES, RULE_CATALOGUE } from '@core-infra/policies';
import { DEFAULT_OUTPUT, renderRuleCatalogue } from '../scripts/docs/rule-catalogue';

const root = path.resolve(__dirname, '..');
const site = path.join(root, 'docs', 'reference');
const BUILD_TIMEOUT_MS = 240_000;

interface DocsBuild {
  readonly status: number | null;
  readonly output: string;
  readonly warnings: string[];
  readonly errors: string[];
}

let build: DocsBuild;

function page(relativePath: string): string {
  const file = path.join(site, relativePath);
  if (!existsSync(file)) throw new Error(`${relativePath} was not generated (build exit ${build.status}); see the build test`);
  return readFileSync(file, 'utf8');
}

/** The HTML of one member's section on a TypeDoc page, from its anchor to the end of the section. */
function memberSection(html: string, anchor: string): string {
  const start = html.indexOf(`id="${anchor}"`);
  if (start < 0) throw new Error(`no member #${anchor} on the page`);
  return html.slice(start, html.indexOf('</section>', start));
}

beforeAll(() => {
  // A stale site from an earlier build must not make these tests pass.
  rmSync(site, { recursive: true, force: true });
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts.docs).toContain('typedoc');
  const result = spawnSync('npm', ['run', 'docs'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: BUILD_TIMEOUT_MS - 10_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  // eslint-disable-next-line no-control-regex
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = output.split('\n');
  build = {
    status: result.error ? null : result.status,
    output,
    warnings: lines.filter((line) => line.includes('[warning]')),
    errors: lines.filter((line) => line.includes('[error]') || /^npm (ERR|error)/.test(line)),
  };
}, BUILD_TIMEOUT_MS);

describe('npm run docs', () => {
  test('builds with exit 0, zero warnings and zero errors', () => {
    const shown = (lines: string[]) => (lines.length > 40 ? [...lines.slice(0, 40), `… and ${lines.length - 40} more`] : lines);
    expect({ status: build.status, warnings: shown(build.warnings), errors: shown(build.errors) }).toEqual({ status: 0, warnings: [], errors: [] });
    expect(build.output).toContain('html generated at');
  });

  test('writes the site entry page', () => {
    expect(existsSync(path.join(site, 'index.html'))).toBe(true);
    expect(page('index.html')).toContain('<title>CORE infrastructure</title>');
  });

  test('the rule catalogue page is built from the current rule metadata', () => {
    expect(readFileSync(DEFAULT_OUTPUT, 'utf8')).toBe(renderRuleCatalogue());
  });

  test('the rule catalogue page lists every rule, engine check and Control Tower decision', () => {
    const html = page('documents/Policy_rule_catalogue.html');
    const ids = [...RULE_CATALOGUE, ...RISK_RULES, ...ENGINE_CHECKS, ...CONTROL_TOWER_DECISIONS].map((entry) => entry.id);
    expect(ids.filter((id) => !html.includes(`<code>${id}</code>`))).toEqual([]);
    expect(RULE_CATALOGUE.length).toBeGreaterThan(0);
  });

  test("the README's rule counts are the catalogue's", () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`${RULE_CATALOGUE.length} guard rules + ${RISK_RULES.length} risk rules`);
  });

  test('a construct props page renders its @default values', () => {
    const nodeType = memberSection(page('interfaces/_core-infra_constructs.RedisCacheProps.html'), 'cachenodetype');
    expect(nodeType).toContain('class="tsd-tag-default"');
    expect(nodeType).toMatch(/>Default</);
    expect(nodeType).toContain('cache.t4g.micro');
  });

  test('every guide in docs/guides is published, and the entry page (the README) links to each', () => {
    const guides = readdirSync(path.join(root, 'docs', 'guides')).filter((file) => file.endsWith('.md'));
    expect(guides.length).toBeGreaterThanOrEqual(10);
    const index = page('index.html');
    for (const guide of guides) {
      const title = /^title: (.+)$/m.exec(readFileSync(path.join(root, 'docs', 'guides', guide), 'utf8'))?.[1];
      const href = `documents/${title?.replace(/[^A-Za-z0-9-]+/g, '_')}.html`;
      expect({ guide, published: existsSync(path.join(site, href)), linked: index.includes(`href="${href}"`) }).toEqual({ guide, published: true, linked: true });
    }
  });

  test("each package's page is its README: what it is, install and the smallest working example", () => {
    for (const name of ['constructs', 'policies', 'testing', 'environments']) {
      const html = page(`modules/_core-infra_${name}.html`);
      expect([name, html.includes('id="smallest-working-example"'), html.includes('id="install"')]).toEqual([name, true, true]);
    }
  });
});
