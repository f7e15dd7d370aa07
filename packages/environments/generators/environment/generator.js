// @ts-check
/**
 * `nx g @core-infra/environments:environment <name> --account <id> [--profile baseline|production]`
 *
 * Adds a workload environment to the workspace as data: the app (`apps/<name>/` with its
 * committed `config.yaml`, Nx project, entry point, test and empty baseline), its entry in the
 * meta config's `workloads` (which is the set of environments and their deployment order) and a
 * deploy job in `.github/workflows/deploy.yml`, chained in that order. Bad options stop it before
 * anything is written, naming the option, the value and the fix.
 *
 * Plain CommonJS so Nx loads it without a TypeScript runner, as the release tooling is.
 */
const { spawnSync } = require('node:child_process');
const YAML = require('yaml');

const NAME = /^[a-z][a-z0-9]{1,15}$/;
const ACCOUNT = /^\d{12}$/;
const META_CONFIG = 'apps/meta/config.yaml';
const DEPLOY_WORKFLOW = '.github/workflows/deploy.yml';

/**
 * @typedef {object} EnvironmentGeneratorOptions
 * @property {string} name environment name
 * @property {string | number} account AWS account id
 * @property {'baseline' | 'production'} [profile] policy profile
 * @property {string} [from] environment whose config to start from
 * @property {string} [after] environment it deploys after
 * @property {boolean} [skipInstall] skip npm install
 */

/**
 * The part of Nx's generator tree this generator uses.
 *
 * @typedef {object} Tree
 * @property {string} root workspace root
 * @property {(path: string, encoding: 'utf-8') => string | null} read
 * @property {(path: string, content: string) => void} write
 * @property {(path: string) => boolean} exists
 */

class GeneratorInputError extends Error {}

/**
 * Reads a YAML file of the tree as a Document, keeping its comments.
 *
 * @param {Tree} tree
 * @param {string} file
 */
function readYaml(tree, file) {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new GeneratorInputError(`${file} does not exist: run the generator in the CORE infrastructure workspace`);
  return YAML.parseDocument(text);
}

/**
 * Checks the options against the workspace and settles the defaults.
 *
 * @param {Tree} tree
 * @param {EnvironmentGeneratorOptions} options
 */
function resolveOptions(tree, options) {
  const { name } = options;
  // Nx reads an all-digit option as a number; one with a leading zero stays a string.
  const account = options.account === undefined ? undefined : String(options.account);
  const profile = options.profile ?? 'baseline';
  if (!NAME.test(name ?? '')) throw new GeneratorInputError(`name "${name}" is not an environment name: use 2–16 lower-case letters and digits, starting with a letter, e.g. preprod`);
  if (name === 'meta') throw new GeneratorInputError('name "meta" is the meta account: choose the name of a workload environment');
  if (!ACCOUNT.test(account ?? '')) throw new GeneratorInputError(`--account "${account}" is not a 12-digit AWS account id: pass the new environment's own account, e.g. --account 123456789012`);
  if (profile !== 'baseline' && profile !== 'production') throw new GeneratorInputError(`--profile "${profile}" is not a policy profile: use baseline or production`);

  const meta = readYaml(tree, META_CONFIG);
  const workloads = /** @type {Record<string, { account: string, prefix: string, scope?: string }>} */ (meta.toJS().workloads ?? {});
  const names = Object.keys(workloads);
  if (names.includes(name) || tree.exists(`apps/${name}`)) throw new GeneratorInputError(`environment "${name}" exists already (in ${META_CONFIG} or apps/${name}): choose another name`);
  const owner = account === meta.toJS().account ? 'meta' : names.find((other) => workloads[other].account === account);
  if (owner) throw new GeneratorInputError(`--account ${account} is the ${owner} account: every environment needs an account of its own`);

  const from = options.from ?? (profile === 'production' ? 'production' : 'staging');
  if (!tree.exists(`apps/${from}/config.yaml`)) throw new GeneratorInputError(`--from "${from}" has no apps/${from}/config.yaml to start from: name an existing environment, e.g. --from staging`);
  const lastNonProduction = [...names].reverse().find((other) => (workloads[other].scope ?? 'nonprod') === 'nonprod');
  const after = options.after ?? (profile === 'production' ? names.at(-1) : lastNonProduction) ?? 'meta';
  if (after !== 'meta' && !names.includes(after)) throw new GeneratorInputError(`--after "${after}" is not an environment: choose from meta, ${names.join(', ')}`);
  return { name, account, profile, from, after, meta, workloads };
}

/**
 * `label` replaced by `name` where it is a whole DNS label, else `name` put in front.
 *
 * @param {string} hostname
 * @param {string} label
 * @param {string} name
 */
function renameHost(hostname, label, name) {
  const labels = hostname.split('.');
  return labels.includes(label) ? labels.map((part) => (part === label ? name : part)).join('.') : `${name}.${hostname}`;
}

/**
 * The new config: the `from` environment's committed config with this environment's name,
 * prefix, account, hostnames and profile.
 *
 * @param {Tree} tree
 * @param {ReturnType<typeof resolveOptions>} o
 */
function newConfig(tree, o) {
  const doc = readYaml(tree, `apps/${o.from}/config.yaml`);
  doc.set('stage', o.name);
  doc.set('prefix', `core-${o.name}`);
  doc.set('account', o.account);
  doc.set('policyProfile', o.profile);
  doc.setIn(['ci', 'scope'], o.profile === 'production' ? 'prod' : 'nonprod');
  // Review apps are dev's alone: a copy of dev's config runs a full environment instead.
  doc.delete('reviewApps');
  for (const key of ['app', 'loadBalancer']) doc.setIn(['hostnames', key], renameHost(String(doc.getIn(['hostnames', key])), o.from, o.name));
  const header = [
    `# yaml-language-server: $schema=../../packages/environments/schema/environment-config.schema.json`,
    `# The ${o.name} environment, generated from ${o.from}'s config (nx g @core-infra/environments:environment).`,
    '# Review every value: sizes, schedules, hostnames and exceptions came from there.',
  ].join('\n');
  // The source's header (its schema line and description) sits on the document or its first key.
  doc.commentBefore = null;
  const first = /** @type {any} */ (doc.contents)?.items?.[0];
  if (first?.key) first.key.commentBefore = null;
  return `${header}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}

/**
 * The app's package.json: its Nx project and the targets every app has.
 *
 * @param {Tree} tree
 * @param {ReturnType<typeof resolveOptions>} o
 */
function newPackageJson(tree, o) {
  const version = (/** @type {string} */ pkg) => `^${JSON.parse(tree.read(`packages/${pkg}/package.json`, 'utf-8') ?? '{}').version}`;
  const approval = o.profile === 'production' ? ' --require-approval any-change' : '';
  const manifest = {
    name: `@core-infra/app-${o.name}`,
    version: '0.0.0',
    private: true,
    description: `CDK app of the CORE ${o.name} environment`,
    license: 'MIT',
    type: 'commonjs',
    dependencies: { '@core-infra/environments': version('environments'), '@core-infra/policies': version('policies') },
    nx: {
      name: o.name,
      tags: ['type:app'],
      targets: {
        typecheck: {},
        lint: {},
        test: {},
        synth: {},
        validate: {
          options: {
            command: `core-policies check cdk.out --profile ${o.profile} --require-plugin --trusted-accounts=$(core-deploy trusted-accounts --env ${o.name}) --report-dir reports --format text`,
          },
        },
        'check-stateful': {},
        diff: { options: { command: `core-deploy diff --env ${o.name} --assembly cdk.out --output reports/change-summary.md` } },
        deploy: { options: { command: `core-deploy deploy --env ${o.name} --assembly cdk.out${approval}` } },
        plan: {
          executor: 'nx:run-commands',
          cache: false,
          dependsOn: ['validate'],
          options: { cwd: '{projectRoot}', command: `core-deploy deploy --env ${o.name} --assembly cdk.out${approval} --dry-run` },
        },
        bootstrap: {
          executor: 'nx:run-commands',
          cache: false,
          dependsOn: ['synth'],
          options: { cwd: '{projectRoot}', command: `core-deploy bootstrap --env ${o.name} --assembly cdk.out` },
        },
        baseline: {},
      },
    },
    devDependencies: { '@core-infra/testing': version('testing') },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The app's test: it synthesizes a full environment's stacks, in its profile, with no open finding.
 *
 * @param {ReturnType<typeof resolveOptions>} o
 */
function newTest(o) {
  const prefix = `core-${o.name}`;
  const stacks = ['monitoring', 'network', 'data', 'app', 'edge', 'deployment-access'].map((stack) => `'${prefix}/${stack}'`).join(', ');
  return `import { buildEnvironmentApp } from '@core-infra/environments';
import { createTestApp, SynthesizedApp } from '@core-infra/testing';

// The committed baseline (npx nx run ${o.name}:baseline) is this app's reviewed template.
let ${o.name}: SynthesizedApp;
beforeAll(() => {
  ${o.name} = SynthesizedApp.of(buildEnvironmentApp('${o.name}', { app: createTestApp() }));
});

describe('${o.name} app', () => {
  test('synthesizes the stacks of a full environment', () => {
    expect(${o.name}.stacks.map((stack) => stack.displayName).sort()).toEqual([${stacks}].sort());
  });

  test('validates every template with the ${o.profile} policy profile and has no open finding', () => {
    expect(${o.name}.policyRun?.profile).toBe('${o.profile}');
    expect(${o.name}.openFindings()).toEqual([]);
  });
});
`;
}

/**
 * Adds the workload to the meta config's `workloads`, right after `after`.
 *
 * @param {ReturnType<typeof resolveOptions>} o
 */
function addToMeta(o) {
  const workloads = /** @type {import('yaml').YAMLMap} */ (o.meta.get('workloads'));
  const entry = { account: o.account, prefix: `core-${o.name}`, ...(o.profile === 'production' ? { scope: 'prod' } : {}) };
  const index = o.after === 'meta' ? 0 : workloads.items.findIndex((pair) => String(/** @type {any} */ (pair.key).value ?? pair.key) === o.after) + 1;
  workloads.items.splice(index, 0, /** @type {any} */ (o.meta.createPair(o.name, entry)));
  return o.meta.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Adds a deploy job for the environment to the deploy workflow, after `after`'s job and before
 * the job that followed it (which now waits for the new one).
 *
 * @param {Tree} tree
 * @param {ReturnType<typeof resolveOptions>} o
 */
function addDeployJob(tree, o) {
  const doc = readYaml(tree, DEPLOY_WORKFLOW);
  const jobs = /** @type {import('yaml').YAMLMap} */ (doc.get('jobs'));
  const template = doc.getIn(['jobs', o.from]);
  if (!template) throw new GeneratorInputError(`${DEPLOY_WORKFLOW} has no ${o.from} job to copy: add the deploy job by hand`);
  const jobText = YAML.stringify(/** @type {any} */ (template).toJSON(), { lineWidth: 0 }).replace(new RegExp(`\\b${o.from}\\b`, 'g'), o.name);
  const job = /** @type {import('yaml').YAMLMap} */ (doc.createNode(YAML.parse(jobText)));
  job.set('needs', doc.createNode(['plan', o.after], { flow: true }));
  job.set('if', `\${{ !failure() && !cancelled() && contains(fromJSON(needs.plan.outputs.environments), '${o.name}') }}`);
  const keyOf = (/** @type {any} */ pair) => String(pair.key?.value ?? pair.key);
  const afterIndex = jobs.items.findIndex((pair) => keyOf(pair) === o.after);
  const next = jobs.items.slice(afterIndex + 1).find((pair) => {
    const needs = /** @type {any} */ (pair.value)?.toJSON?.()?.needs;
    return Array.isArray(needs) ? needs.includes(o.after) : needs === o.after;
  });
  if (next) /** @type {any} */ (next.value).set('needs', doc.createNode(['plan', o.name], { flow: true }));
  const pair = doc.createPair(o.name, job);
  /** @type {any} */ (pair.key).spaceBefore = true;
  jobs.items.splice(afterIndex + 1, 0, /** @type {any} */ (pair));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * The generator: checks everything, then writes the app, the meta entry and the deploy job.
 *
 * @param {Tree} tree
 * @param {EnvironmentGeneratorOptions} options
 * @returns {() => void} the install step Nx runs after writing
 */
function environmentGenerator(tree, options) {
  let o;
  try {
    o = resolveOptions(tree, options);
  } catch (error) {
    if (error instanceof GeneratorInputError) throw new Error(`environment generator: ${error.message}`, { cause: error });
    throw error;
  }
  const app = `apps/${o.name}`;
  const files = {
    [`${app}/config.yaml`]: newConfig(tree, o),
    [`${app}/package.json`]: newPackageJson(tree, o),
    [`${app}/src/main.ts`]: `// The ${o.name} environment: config (config.yaml beside this folder), stages and policies come from @core-infra/environments.\nimport { runEnvironmentApp } from '@core-infra/environments';\n\nrunEnvironmentApp('${o.name}');\n`,
    [`${app}/test/${o.name}.test.ts`]: newTest(o),
    [`${app}/cdk.json`]: `${JSON.stringify({ app: 'node --conditions=@core-infra/source --import tsx src/main.ts', output: 'cdk.out' }, null, 2)}\n`,
    [`${app}/tsconfig.json`]: `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node', 'jest'] }, include: ['src/**/*.ts', 'test/**/*.ts'] }, null, 2)}\n`,
    [`${app}/jest.config.js`]: 'module.exports = require("../../jest.preset.js")(__dirname);\n',
    [`${app}/baseline/acknowledgements.yaml`]:
      '# Destructive changes to stateful resources that a reviewer has accepted for the next deploy\n# (see apps/staging/baseline/acknowledgements.yaml for the format).\n[]\n',
    [META_CONFIG]: addToMeta(o),
    [DEPLOY_WORKFLOW]: addDeployJob(tree, o),
  };
  for (const [file, content] of Object.entries(files)) tree.write(file, content);
  return () => {
    if (options.skipInstall) return;
    // Adds the new app to package-lock.json, so npm ci keeps working.
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: tree.root, stdio: 'inherit' });
    if (result.status !== 0) console.error('npm install failed: run it yourself before committing, so package-lock.json lists the new app');
    console.log(`Next: npx nx run ${o.name}:validate, then npx nx run ${o.name}:baseline, and review config.yaml before committing.`);
  };
}

module.exports = environmentGenerator;
module.exports.default = environmentGenerator;
module.exports.renameHost = renameHost;
