/**
 * The GitHub Actions workflows: valid by a real workflow validator (action-validator, which checks
 * them against the published workflow schema and resolves `needs`), running the commands the
 * README documents, deploying in dependency order, and assuming only CI roles whose trust policy
 * (built from the meta config in @core-infra/environments) accepts the job's OIDC token.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { CHANGE_SUMMARY_MARKER, ciRoleName, environmentNames, loadMetaConfig, nxCacheRoleName, runDeployCli } from '@core-infra/environments';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..');
const workflowsDir = path.join(root, '.github', 'workflows');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const nxJson = JSON.parse(fs.readFileSync(path.join(root, 'nx.json'), 'utf8')) as { targetDefaults: Record<string, unknown> };
const rootScripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** The repository these workflows run in, whose CI roles the meta account defines. */
const REPOSITORY = 'core-infra';

interface Step {
  readonly name?: string;
  readonly if?: string;
  readonly 'continue-on-error'?: boolean;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}

interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { readonly name: string; readonly url?: string };
  readonly permissions?: Record<string, string>;
  readonly strategy?: { readonly 'fail-fast'?: boolean; readonly matrix?: Record<string, unknown> };
  readonly outputs?: Record<string, string>;
  readonly steps: Step[];
}

interface Workflow {
  readonly on: Record<string, { readonly branches?: string[]; readonly types?: string[] } | null>;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflowFiles = fs
  .readdirSync(workflowsDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const sourceOf = (file: string) => fs.readFileSync(path.join(workflowsDir, file), 'utf8');
const workflow = (file: string) => parse(sourceOf(file)) as Workflow;
const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const environmentOf = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);

/** The npm/npx commands a job runs, one per command (also inside `$(…)`). */
function commandsOf(job: Job): string[] {
  return job.steps.flatMap((step) =>
    (step.run ?? '')
      .split('\n')
      .flatMap((line) => line.match(/\b(?:npm|npx) [^;&|)\n]*/g) ?? [])
      .map((command) => command.trim()),
  );
}

function describeErrors(errors: readonly ValidationError[]): string {
  return errors.map((error) => `${'path' in error ? error.path : ''} ${error.title}: ${error.detail ?? ''}`).join('\n');
}

/** Runs the workspace's `core-deploy` CLI (the deploy commands the workflows call through Nx). */
function coreDeployHelp(...args: string[]): string {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', '.bin', 'core-deploy'), ...args, '--help'], { cwd: root, encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('GitHub Actions workflows', () => {
  test('there are the CI, deploy, review-app and release workflows', () => {
    expect(workflowFiles).toEqual(['ci.yml', 'deploy.yml', 'release.yml', 'review-app.yml']);
  });

  test.each(workflowFiles)('%s is a valid workflow', (file) => {
    const { errors } = validateWorkflow(sourceOf(file));
    expect(describeErrors(errors)).toBe('');
  });

  test('the validator rejects a broken workflow: a job that needs a missing job, and a misspelled key', () => {
    const misnamed = sourceOf('deploy.yml').replace('needs: [plan, staging]', 'needs: [plan, stagin]');
    expect(misnamed).not.toBe(sourceOf('deploy.yml'));
    const unresolved = validateWorkflow(misnamed);
    expect(unresolved.errors.map((error) => error.code)).toContain('unresolved_job');
    expect(describeErrors(unresolved.errors)).toContain('stagin');

    const misspelledSource = sourceOf('ci.yml').replace('    runs-on: ubuntu-latest', '    run-on: ubuntu-latest');
    expect(misspelledSource).not.toBe(sourceOf('ci.yml'));
    const misspelled = validateWorkflow(misspelledSource);
    expect(misspelled.errors.length).toBeGreaterThan(0);
    expect(misspelled.errors.map((error) => ('path' in error ? error.path : ''))).toContain('/jobs/plan');
  });

  test.each(workflowFiles)('%s pins every action to a major version tag', (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps.filter((s) => s.uses !== undefined)) {
        expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@v\d+$/);
      }
    }
  });
});

describe('the commands the workflows run', () => {
  const commands = workflowFiles.flatMap((file) => Object.values(workflow(file).jobs).flatMap((job) => commandsOf(job).map((command) => ({ file, command }))));

  test('the README documents the install, affected and deploy commands the workflows use', () => {
    expect(readme).toContain('npm ci');
    expect(readme).toContain('npx nx affected -t ');
    expect(readme.split('\n').some((line) => line.includes('npx nx run <env>:') && line.includes(':deploy'))).toBe(true);
  });

  test('every npm/npx command is a documented command, an Nx target that exists, or a script of package.json', () => {
    const deployTargetOptions = coreDeployHelp('deploy');
    const teardownOptions = coreDeployHelp('teardown-review-app');
    const affectedOptions = coreDeployHelp('affected');
    const diffOptions = coreDeployHelp('diff');
    const commentOptions = coreDeployHelp('comment');
    const known: { readonly pattern: RegExp; readonly check: (match: RegExpMatchArray) => void }[] = [
      { pattern: /^npm ci$/, check: () => expect(readme).toContain('npm ci') },
      {
        pattern: /^npx nx affected -t ([a-z -]+?)(?: --base="?[^ ]+"?)?(?: --head=\S+)?$/,
        check: (match) => {
          expect(readme).toContain('npx nx affected -t ');
          for (const target of match[1].split(' ')) expect(Object.keys(nxJson.targetDefaults)).toContain(target);
        },
      },
      { pattern: /^npx nx run (meta|dev|staging|production):deploy$/, check: () => expect(readme).toMatch(/npx nx run <env>:.*:deploy/) },
      { pattern: /^npx nx run (meta|dev|staging|production):plan$/, check: () => expect(readme).toMatch(/npx nx run <env>:plan/) },
      {
        pattern: /^npx nx run production:deploy -- --require-approval never$/,
        check: () => expect(deployTargetOptions).toContain('--require-approval'),
      },
      {
        pattern: /^npx nx run dev:deploy -- --review-app \$\{\{ github\.event\.number \}\}$/,
        check: () => expect(deployTargetOptions).toContain('--review-app <number>'),
      },
      {
        pattern: /^npx nx run dev:teardown-review-app -- --review-app \$\{\{ github\.event\.number \}\}$/,
        check: () => {
          expect(teardownOptions).toContain('--review-app <number>');
          expect(fs.readFileSync(path.join(root, 'apps/dev/package.json'), 'utf8')).toContain('"teardown-review-app"');
        },
      },
      {
        pattern: /^npx core-deploy affected --base "\$NX_BASE" --head "\$NX_HEAD" --format json$/,
        check: () => expect(affectedOptions).toMatch(/--base <ref>[\s\S]*--head <ref>[\s\S]*--format <format>/),
      },
      {
        pattern: /^npx nx run-many -t ([a-z -]+?) --projects="\$ENV"(?: --excludeTaskDependencies --skip-nx-cache)?$/,
        check: (match) => {
          for (const target of match[1].split(' ')) expect(Object.keys(nxJson.targetDefaults)).toContain(target);
        },
      },
      {
        pattern: /^npx nx run "\$ENV:diff" --excludeTaskDependencies(?: -- --base-policy-report "\$base_report")?$/,
        check: () => {
          expect(Object.keys(nxJson.targetDefaults)).toContain('diff');
          expect(diffOptions).toContain('--base-policy-report <file>');
        },
      },
      {
        pattern: /^npx core-deploy comment --output comment\.md summaries\/reports-\*\/change-summary\.json$/,
        check: () => expect(commentOptions).toContain('--output <file>'),
      },
      { pattern: /^npm run (release|release:dry-run)$/, check: (match) => expect(rootScripts[match[1]]).toBeDefined() },
    ];
    expect(commands.length).toBeGreaterThan(0);
    for (const { file, command } of commands) {
      const entry = known.map((k) => ({ ...k, match: command.match(k.pattern) })).find((k) => k.match !== null);
      if (!entry?.match) throw new Error(`${file} runs "${command}", which neither the README nor this test knows`);
      entry.check(entry.match);
    }
  });

  test('ci.yml: every job checks out with full history where it compares, uses Node from .nvmrc and npm ci', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toEqual(['pull_request']);
    for (const [name, job] of Object.entries(ci.jobs)) {
      const uses = (action: string) => job.steps.find((step) => step.uses?.startsWith(`${action}@`));
      if (name !== 'comment') expect(uses('actions/checkout')?.with?.['fetch-depth']).toBe(0);
      expect(uses('actions/setup-node')?.with?.['node-version-file']).toBe('.nvmrc');
      expect(commandsOf(job)[0]).toBe('npm ci');
    }
    expect(commandsOf(ci.jobs.checks)).toEqual(['npm ci', 'npx nx affected -t lint typecheck test --base="origin/$BASE_REF" --head=HEAD']);
    expect(ci.jobs.checks.steps.find((step) => step.run?.includes('nx affected'))?.env?.BASE_REF).toBe('${{ github.base_ref }}');
  });
});

describe('ci.yml: fan-out per environment and one sticky comment', () => {
  const ci = workflow('ci.yml');

  test('a first job lists the affected environments; a matrix runs one job per environment, none when the list is empty', () => {
    expect(commandsOf(ci.jobs.plan)).toContain('npx core-deploy affected --base "$NX_BASE" --head "$NX_HEAD" --format json');
    expect(ci.jobs.plan.outputs?.environments).toBe('${{ steps.affected.outputs.environments }}');
    const job = ci.jobs.environment;
    expect(needsOf(job)).toEqual(['plan']);
    expect(job.if).toBe("${{ needs.plan.outputs.environments != '[]' }}");
    expect(job.strategy).toEqual({ 'fail-fast': false, matrix: { env: '${{ fromJSON(needs.plan.outputs.environments) }}' } });
    expect(commandsOf(job)).toContain('npx nx run-many -t synth validate check-stateful --projects="$ENV"');
    expect(commandsOf(job).some((command) => command.startsWith('npx nx run "$ENV:diff"'))).toBe(true);
  });

  test('findings reach code scanning also when synthesis failed on them, one category per environment', () => {
    const steps = ci.jobs.environment.steps;
    const failedSynth = steps.find((step) => step.run?.includes('--excludeTaskDependencies'));
    expect(failedSynth?.if).toMatch(/^\$\{\{ failure\(\) && hashFiles\(format\('apps\/\{0\}\/cdk\.out\/manifest\.json', matrix\.env\)\) != ''/);
    const upload = steps.find((step) => step.uses === 'github/codeql-action/upload-sarif@v4');
    expect(upload?.with).toEqual({ sarif_file: 'apps/${{ matrix.env }}/reports/policy-report.sarif', category: 'core-policies-${{ matrix.env }}' });
    expect(upload?.if).toContain('!cancelled()');
    expect(steps.indexOf(upload as Step)).toBeGreaterThan(steps.indexOf(failedSynth as Step));
    expect(steps.find((step) => step.uses?.startsWith('mikepenz/action-junit-report@'))?.with?.report_paths).toBe('apps/${{ matrix.env }}/reports/policy-report.junit.xml');
  });

  test('least privilege: nothing at workflow level, each job only what it uses; OIDC only where Nx runs, for the cache role', () => {
    expect(ci.permissions).toEqual({});
    expect(Object.fromEntries(Object.entries(ci.jobs).map(([name, job]) => [name, job.permissions]))).toEqual({
      plan: { contents: 'read' },
      checks: { contents: 'read', 'id-token': 'write', checks: 'write' },
      environment: { contents: 'read', 'id-token': 'write', 'security-events': 'write', checks: 'write' },
      comment: { contents: 'read', 'pull-requests': 'write' },
    });
  });

  test('jobs that run Nx share the remote cache: credentials only for the cache server, never for fork pull requests', () => {
    for (const name of ['checks', 'environment']) {
      const steps = ci.jobs[name].steps;
      const credentials = steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(credentials?.if).toBe('${{ github.event.pull_request.head.repo.full_name == github.repository }}');
      expect(credentials?.with).toMatchObject({ 'output-credentials': true, 'output-env-credentials': false });
      expect(credentials?.['continue-on-error']).toBe(true);
      const server = steps.find((step) => step.run === 'tools/nx-cache/start-in-github-actions.sh');
      expect(server?.env).toMatchObject({ NX_CACHE_PREFIX: 'pull-requests', NX_CACHE_READ_ONLY_PREFIXES: 'main' });
      const firstNx = steps.findIndex((step) => step.run?.includes('npx nx'));
      expect(steps.indexOf(server as Step)).toBeLessThan(firstNx);
    }
  });

  test('the last job assembles the summaries into one comment, in the job summary too, after failed environment jobs as well', () => {
    const job = ci.jobs.comment;
    expect(needsOf(job)).toEqual(['plan', 'environment']);
    expect(job.if).toBe("${{ !cancelled() && needs.plan.result == 'success' }}");
    const assemble = job.steps.find((step) => step.run?.includes('core-deploy comment'));
    expect(assemble?.run).toContain('cat comment.md >> "$GITHUB_STEP_SUMMARY"');
    const sticky = job.steps.find((step) => step.uses?.startsWith('actions/github-script@'));
    expect(sticky?.with?.script).toContain("require('./.github/scripts/sticky-comment.cjs')");
    expect(sticky?.with?.script).toContain("readFileSync('comment.md', 'utf8')");
  });
});

describe('the sticky comment', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script, loaded the way github-script loads it
  const { upsertStickyComment } = require(path.join(root, '.github', 'scripts', 'sticky-comment.cjs')) as {
    upsertStickyComment: (options: { github: unknown; context: unknown; body: string }) => Promise<'created' | 'updated'>;
  };
  const context = { repo: { owner: 'communitiesuk', repo: 'core-infra' }, issue: { number: 42 } };

  /** A GitHub client holding one pull request's comments in memory. */
  function fakeGitHub(comments: { id: number; body: string; user: { type: string } }[]) {
    let nextId = 100;
    const listComments = async () => comments;
    return {
      comments,
      paginate: async (method: () => Promise<unknown>) => method(),
      rest: {
        issues: {
          listComments,
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            const comment = comments.find((c) => c.id === comment_id);
            if (!comment) throw new Error(`no comment ${comment_id}`);
            comment.body = body;
          },
          createComment: async ({ body }: { body: string }) => {
            comments.push({ id: nextId++, body, user: { type: 'Bot' } });
          },
        },
      },
    };
  }

  test('the comment core-deploy writes starts with the marker the workflow finds it by', async () => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'comment-')), 'comment.md');
    expect(await runDeployCli(['comment', '--output', output], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
    const body = fs.readFileSync(output, 'utf8');
    expect(body.split('\n', 1)[0]).toBe(CHANGE_SUMMARY_MARKER);
    expect(await upsertStickyComment({ github: fakeGitHub([]), context, body })).toBe('created');
  });

  test('the first push creates the comment, every later push updates the same one', async () => {
    const github = fakeGitHub([{ id: 1, body: 'looks good', user: { type: 'User' } }]);
    expect(await upsertStickyComment({ github, context, body: `${CHANGE_SUMMARY_MARKER}\nfirst` })).toBe('created');
    expect(await upsertStickyComment({ github, context, body: `${CHANGE_SUMMARY_MARKER}\nsecond` })).toBe('updated');
    expect(await upsertStickyComment({ github, context, body: `${CHANGE_SUMMARY_MARKER}\nthird` })).toBe('updated');
    expect(github.comments.map((c) => c.body)).toEqual(['looks good', `${CHANGE_SUMMARY_MARKER}\nthird`]);
  });

  test("a person's comment that quotes the marker is never overwritten", async () => {
    const github = fakeGitHub([{ id: 1, body: `${CHANGE_SUMMARY_MARKER}\nforged`, user: { type: 'User' } }]);
    expect(await upsertStickyComment({ github, context, body: `${CHANGE_SUMMARY_MARKER}\nreal` })).toBe('created');
    expect(github.comments[0].body).toBe(`${CHANGE_SUMMARY_MARKER}\nforged`);
  });

  test('a body without the marker line is refused, so it could never be found again', async () => {
    await expect(upsertStickyComment({ github: fakeGitHub([]), context, body: 'no marker' })).rejects.toThrow(/must start with a hidden marker/);
  });
});

describe('deploy.yml', () => {
  const deploy = workflow('deploy.yml');

  test('runs on pushes to main', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] } });
  });

  test('deploys meta → dev → staging → production, each after the previous one and only when its deploy task is affected', () => {
    // The jobs in the order their `needs` allow them to run.
    const order: string[] = [];
    const remaining = new Set(Object.keys(deploy.jobs));
    while (remaining.size > 0) {
      const ready = [...remaining].filter((name) => needsOf(deploy.jobs[name]).every((need) => order.includes(need)));
      expect(ready).toHaveLength(1);
      order.push(ready[0]);
      remaining.delete(ready[0]);
    }
    const ENVIRONMENT_NAMES = environmentNames();
    expect(order).toEqual(['plan', ...ENVIRONMENT_NAMES]);

    ENVIRONMENT_NAMES.forEach((env, index) => {
      const job = deploy.jobs[env];
      expect(needsOf(job)).toEqual(index === 0 ? ['plan'] : ['plan', ENVIRONMENT_NAMES[index - 1]]);
      expect(job.if).toContain(`contains(fromJSON(needs.plan.outputs.environments), '${env}')`);
      // A skipped earlier environment (nothing to deploy) must not block a later one; a failed one must.
      if (index > 0) expect(job.if).toMatch(/^\$\{\{ !failure\(\) && !cancelled\(\) && /);
      // Production prints its plan, then deploys after the environment's reviewers approved.
      expect(commandsOf(job)).toEqual(
        env === 'production' ? ['npm ci', 'npx nx run production:plan', 'npx nx run production:deploy -- --require-approval never'] : ['npm ci', `npx nx run ${env}:deploy`],
      );
    });
    expect(commandsOf(deploy.jobs.plan)).toContain('npx core-deploy affected --base "$NX_BASE" --head "$NX_HEAD" --format json');
  });

  test('production deploys in the GitHub environment "production" (approval), meta in "meta", staging automatically', () => {
    expect(environmentOf(deploy.jobs.production)).toBe('production');
    expect(environmentOf(deploy.jobs.meta)).toBe('meta');
    expect(deploy.jobs.staging.environment).toBeUndefined();
  });
});

describe('review-app.yml', () => {
  const reviewApp = workflow('review-app.yml');

  test('reacts to the review-app label, pushes and closing, deploying and tearing down that pull request only', () => {
    expect(reviewApp.on.pull_request?.types).toEqual(expect.arrayContaining(['labeled', 'unlabeled', 'synchronize', 'closed']));
    expect(reviewApp.env?.CORE_REVIEW_APPS).toBe('${{ github.event.number }}');
    expect(commandsOf(reviewApp.jobs.deploy)).toEqual(['npm ci', 'npx nx run dev:deploy -- --review-app ${{ github.event.number }}']);
    expect(commandsOf(reviewApp.jobs.teardown)).toEqual(['npm ci', 'npx nx run dev:teardown-review-app -- --review-app ${{ github.event.number }}']);
    expect(reviewApp.jobs.deploy.if).toContain("github.event.label.name == 'review-app'");
    expect(reviewApp.jobs.teardown.if).toContain("github.event.action == 'closed'");
    expect(reviewApp.jobs.teardown.if).toContain("github.event.action == 'unlabeled' && github.event.label.name == 'review-app'");
  });

  test('comments the review app URL on the pull request', () => {
    const url = 'https://review.submit-social-housing-data.communities.gov.uk/${{ github.event.number }}';
    const comment = reviewApp.jobs.deploy.steps.find((step) => step.uses?.startsWith('actions/github-script@'));
    expect(comment?.env?.REVIEW_APP_URL).toBe(url);
    expect(comment?.with?.script).toContain('createComment');
    expect(reviewApp.jobs.deploy.permissions?.['pull-requests']).toBe('write');
  });
});

describe('AWS credentials', () => {
  const meta = loadMetaConfig();
  const repository = meta.github.repositories.find((r) => r.name === REPOSITORY);
  const production = new Set(meta.github.productionEnvironments);

  /**
   * OIDC subjects each CI role trusts, the way the meta stage builds them: the non-production
   * role trusts the repository's refs and its non-production GitHub environments, the
   * production role only its production environments.
   */
  const trusted: Record<string, readonly string[]> = {
    [ciRoleName(REPOSITORY, 'nonprod')]: [...(repository?.refs ?? []).map((ref) => `ref:${ref}`), ...(repository?.environments ?? []).filter((e) => !production.has(e)).map((e) => `environment:${e}`)],
    [ciRoleName(REPOSITORY, 'prod')]: (repository?.environments ?? []).filter((e) => production.has(e)).map((e) => `environment:${e}`),
    // The Nx cache roles: main's runs write what every run may reuse, pull-request runs only their own prefix.
    [nxCacheRoleName(REPOSITORY, 'main')]: meta.nxCache.trustedRefs.map((ref) => `ref:${ref}`),
    [nxCacheRoleName(REPOSITORY, 'pull-requests')]: [`environment:${meta.nxCache.pullRequestEnvironment}`],
  };

  /** The `sub` claim GitHub puts in the job's OIDC token (without the `repo:owner/name:` prefix). */
  function subjectOf(flow: Workflow, job: Job): string {
    const environment = environmentOf(job);
    if (environment) return `environment:${environment}`;
    if (flow.on.pull_request !== undefined) return 'pull_request';
    const branches = flow.on.push?.branches ?? [];
    expect(branches).toHaveLength(1);
    return `ref:refs/heads/${branches[0]}`;
  }

  const assuming = workflowFiles.flatMap((file) =>
    Object.entries(workflow(file).jobs)
      .filter(([, job]) => job.steps.some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@')))
      .map(([name, job]) => ({ file, name, job })),
  );

  test('the meta config defines the CI roles of this repository', () => {
    expect(repository).toBeDefined();
    expect(Object.values(trusted).every((subjects) => subjects.length > 0)).toBe(true);
  });

  test('every job that assumes AWS credentials may request an OIDC token (id-token: write)', () => {
    expect(assuming.map(({ file, name }) => `${file}:${name}`).sort()).toEqual(
      ['ci.yml:checks', 'ci.yml:environment', 'deploy.yml:dev', 'deploy.yml:meta', 'deploy.yml:production', 'deploy.yml:staging', 'review-app.yml:deploy', 'review-app.yml:teardown'].sort(),
    );
    for (const { file, job } of assuming) {
      const permissions = job.permissions ?? workflow(file).permissions ?? {};
      expect(permissions['id-token']).toBe('write');
    }
  });

  test('every job assumes a CI role of the meta account that trusts its OIDC subject', () => {
    const problems = assuming.flatMap(({ file, name, job }) => {
      const roleArn = String(job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with?.['role-to-assume']);
      const role = /^arn:aws:iam::\$\{\{ vars\.CORE_META_ACCOUNT_ID \}\}:role\/(.+)$/.exec(roleArn)?.[1];
      if (role === undefined || !(role in trusted)) return [`${file}:${name} assumes "${roleArn}", which is not a CI role of ${REPOSITORY} in the meta account`];
      const subject = subjectOf(workflow(file), job);
      return trusted[role].includes(subject) ? [] : [`${file}:${name} gets the OIDC subject "${subject}", which ${role} does not trust (it trusts ${trusted[role].join(', ')})`];
    });
    expect(problems).toEqual([]);
  });

  test('a review-app job without a GitHub environment would not be trusted (its subject is pull_request)', () => {
    const { environment: _environment, ...withoutEnvironment } = workflow('review-app.yml').jobs.deploy;
    const subject = subjectOf(workflow('review-app.yml'), withoutEnvironment as Job);
    expect(subject).toBe('pull_request');
    expect(Object.values(trusted).flat()).not.toContain(subject);
  });
});
