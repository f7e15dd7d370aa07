import { APP_SECRET_NAMES, FIRST_DEPLOY_CONTEXT, loadEnvironmentSet, PLACEHOLDER_ACCOUNTS, type FirstDeployPlan, type FirstDeployStep } from '../../src';
import { writeConfigFile } from '../deploy/fake-assembly';
import { runDeploy } from '../support/deploy-cli';

// `core-deploy first-deploy --dry-run` for the committed configs: the whole order, and what each
// step says with the configs' real names, accounts, regions and hostnames; every refusal exits 2
// and prints no plan.

const dryRun = (...args: string[]) => runDeploy(['first-deploy', '--dry-run', ...args], { env: {} });

async function plan(...args: string[]): Promise<FirstDeployPlan> {
  const { code, stdout, stderr } = await dryRun('--format', 'json', ...args);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as FirstDeployPlan;
}

const WORKLOAD_STEPS = ['first-deploy', 'secrets', 'dns-load-balancer', 'deploy', 'dns-service'];
const step = (of: FirstDeployPlan, environment: string, kind: string): FirstDeployStep => {
  const found = of.steps.find((candidate) => candidate.environment === environment && candidate.kind === kind);
  if (!found) throw new Error(`no ${kind} step of ${environment}`);
  return found;
};

describe('the whole sequence', () => {
  let whole: FirstDeployPlan;
  let text: string;
  beforeAll(async () => {
    whole = await plan();
    text = (await dryRun()).stdout;
  });

  test('meta first, then every workload account bootstrapped, then each workload in the meta config’s order', () => {
    const workloads = Object.keys(loadEnvironmentSet().workloads);
    expect(workloads).toEqual(['dev', 'staging', 'production']);
    expect(whole.environments).toEqual(['meta', ...workloads]);
    expect(whole.steps.map(({ environment, kind }) => `${environment} ${kind}`)).toEqual([
      'meta bootstrap',
      'meta deploy-meta',
      ...workloads.map((env) => `${env} bootstrap`),
      ...workloads.flatMap((env) => WORKLOAD_STEPS.map((kind) => `${env} ${kind}`)),
    ]);
    expect(whole.steps.map((each) => each.order)).toEqual(whole.steps.map((_, index) => index + 1));
  });

  test('every step says who runs it, why, and how to check it worked', () => {
    const incomplete = whole.steps.filter((each) => each.who === '' || each.why === '' || each.check.length === 0).map((each) => each.title);
    expect(incomplete).toEqual([]);
  });

  test('warns that the committed configs hold placeholder accounts', () => {
    expect(whole.warnings).toEqual([
      expect.stringContaining(`meta ${PLACEHOLDER_ACCOUNTS.meta}, dev ${PLACEHOLDER_ACCOUNTS.dev}, staging ${PLACEHOLDER_ACCOUNTS.staging}, production ${PLACEHOLDER_ACCOUNTS.production}`),
    ]);
  });

  test('meta is bootstrapped in its region and replica region, deployed by hand and checked by its lock tables and CI roles', () => {
    expect(step(whole, 'meta', 'bootstrap').commands).toEqual(['npx nx run meta:bootstrap -- --dry-run', 'npx nx run meta:bootstrap']);
    expect(step(whole, 'meta', 'bootstrap').check.map((command) => /--region (\S+)/.exec(command)?.[1])).toEqual(['eu-west-2', 'eu-west-1']);
    const deployMeta = step(whole, 'meta', 'deploy-meta');
    expect(deployMeta.commands).toEqual(['npx nx run meta:validate', "(cd apps/meta && npx cdk deploy --app cdk.out --require-approval broadening 'core-meta/*')"]);
    expect(deployMeta.check).toEqual([
      'aws dynamodb describe-table --region eu-west-2 --table-name core-non-prod-deployment-lock --query Table.TableStatus --output text',
      'aws dynamodb describe-table --region eu-west-2 --table-name core-prod-deployment-lock --query Table.TableStatus --output text',
      'aws iam get-role --role-name core-infra-nonprod --query Role.Arn --output text',
      'aws iam get-role --role-name core-infra-prod --query Role.Arn --output text',
    ]);
  });

  test('the text form numbers the same steps and shows their commands, manual steps and checks', () => {
    expect(text).toContain('core-deploy first-deploy: meta, dev, staging, production, in this order');
    expect(text).toContain('3. dev: Bootstrap the dev account');
    expect(text).toContain(`${whole.steps.length}. production: Point submit-social-housing-data.communities.gov.uk at production's distribution`);
    expect(text).toContain("     $ (cd apps/staging && npx cdk deploy --app cdk.out.first-deploy --require-approval broadening 'core-staging/*')");
    expect(text).toContain('     - CNAME lb.submit-social-housing-data.communities.gov.uk to the load balancer');
    expect(text).toContain('   check:\n     $ dig +short CNAME staging.submit-social-housing-data.communities.gov.uk');
  });
});

describe('production alone', () => {
  let production: FirstDeployPlan;
  beforeAll(async () => {
    production = await plan('--env', 'production');
  });

  test('has no meta steps, and bootstraps production in its region and the edge region, trusting only the role the prod CI role assumes', () => {
    expect(production.environments).toEqual(['production']);
    const bootstrap = step(production, 'production', 'bootstrap');
    expect(production.steps[0]).toBe(production.steps.find((each) => each === bootstrap));
    expect(bootstrap.who).toContain(PLACEHOLDER_ACCOUNTS.production);
    expect(bootstrap.commands).toEqual(['npx nx run production:bootstrap -- --dry-run', 'npx nx run production:bootstrap']);
    expect(bootstrap.why).toContain('trusting only core-prod-infrastructure-deployment, which only the meta account’s CI role core-infra-prod may assume'.replace('’', "'"));
    expect(bootstrap.check.map((command) => /--region (\S+)/.exec(command)?.[1])).toEqual(['eu-west-2', 'us-east-1']);
  });

  test('deploys first with the flag, from its own assembly checked in the production profile', () => {
    const first = step(production, 'production', 'first-deploy');
    expect(first.commands).toEqual([
      `(cd apps/production && npx cdk synth --quiet -c ${FIRST_DEPLOY_CONTEXT}=true --output cdk.out.first-deploy)`,
      '(cd apps/production && npx core-policies check cdk.out.first-deploy --profile production --require-plugin --trusted-accounts=$(npx core-deploy trusted-accounts --env production))',
      "(cd apps/production && npx cdk deploy --app cdk.out.first-deploy --require-approval broadening 'core-prod/*')",
    ]);
    expect(first.check).toEqual([
      `aws cloudformation describe-stacks --region eu-west-2 --query "Stacks[?starts_with(StackName, 'core-prod-')].[StackName,StackStatus]" --output text`,
      `aws cloudformation describe-stacks --region us-east-1 --query "Stacks[?starts_with(StackName, 'core-prod-')].[StackName,StackStatus]" --output text`,
      'aws iam get-role --role-name core-prod-infrastructure-deployment --query Role.Arn --output text',
    ]);
  });

  test("names every secret to seed, without staging's performance-test ones, and the image the application needs", () => {
    const secrets = step(production, 'production', 'secrets');
    const [putValues, image] = secrets.manual;
    for (const name of APP_SECRET_NAMES) expect(putValues).toContain(`core-prod/app/${name}`);
    expect(putValues).toContain('core-prod/monitoring/slack-webhook');
    expect(putValues).toContain('--region eu-west-2');
    expect(putValues).not.toContain('PERFORMANCE_TEST');
    expect(image).toContain(`${PLACEHOLDER_ACCOUNTS.meta}.dkr.ecr.eu-west-2.amazonaws.com/core:`);
    expect(secrets.check[1]).toContain(`--registry-id ${PLACEHOLDER_ACCOUNTS.meta} --repository-name core`);
  });

  test('names the load balancer in DNS before the certificates exist, from the app stack’s output', () => {
    const dns = step(production, 'production', 'dns-load-balancer');
    expect(dns.who).toBe('the DNS owner of lb.submit-social-housing-data.communities.gov.uk');
    expect(dns.commands).toEqual([
      `aws cloudformation describe-stacks --region eu-west-2 --stack-name core-prod-app --query "Stacks[0].Outputs[?contains(OutputKey, 'LoadBalancerDnsName')].OutputValue" --output text`,
    ]);
    expect(dns.manual).toEqual(["CNAME lb.submit-social-housing-data.communities.gov.uk to the load balancer's DNS name (the command's output)"]);
    expect(dns.check).toEqual([expect.stringMatching(/^dig \+short CNAME lb\.submit-social-housing-data\.communities\.gov\.uk /)]);
  });

  test('deploys whole through CI without the flag, reading both certificates’ validation records while it waits', () => {
    const deploy = step(production, 'production', 'deploy');
    expect(deploy.commands).toEqual(['npx nx run production:deploy']);
    expect(deploy.who).toContain('the meta account’s prod CI role'.replace('’', "'"));
    expect(deploy.manual.join('\n')).toContain('72 hours');
    expect(deploy.check[0]).toContain(
      `aws acm describe-certificate --region eu-west-2 --certificate-arn "$(aws acm list-certificates --region eu-west-2 --certificate-statuses PENDING_VALIDATION ISSUED --query "CertificateSummaryList[?DomainName=='lb.submit-social-housing-data.communities.gov.uk'].CertificateArn | [0]" --output text)" --query "Certificate.[Status,DomainValidationOptions[].ResourceRecord]"`,
    );
    expect(deploy.check[1]).toContain(`list-certificates --region us-east-1 --certificate-statuses PENDING_VALIDATION ISSUED --query "CertificateSummaryList[?DomainName=='submit-social-housing-data.communities.gov.uk']`);
    expect(deploy.check[4]).toContain('aws elbv2 describe-listeners --region eu-west-2 --load-balancer-arn "$(aws elbv2 describe-load-balancers --region eu-west-2 --names core-prod');
  });

  test('names the service in DNS last, and checks that the application answers through CloudFront', () => {
    const dns = step(production, 'production', 'dns-service');
    expect(dns.commands[0]).toContain('--stack-name core-prod-edge');
    expect(dns.manual).toEqual(["CNAME submit-social-housing-data.communities.gov.uk to the distribution's domain name (the command's output)"]);
    expect(dns.check[1]).toContain('https://submit-social-housing-data.communities.gov.uk/health   # 204');
  });
});

test('staging seeds the performance-test secrets too, and is deployed by the nonprod CI role', async () => {
  const staging = await plan('--env', 'staging');
  expect(step(staging, 'staging', 'secrets').manual[0]).toContain('core-staging/app/STAGING_PERFORMANCE_TEST_PASSWORD');
  expect(step(staging, 'staging', 'deploy').who).toContain("the meta account's nonprod CI role");
  expect(step(staging, 'staging', 'dns-load-balancer').manual[0]).toContain('CNAME staging.lb.submit-social-housing-data.communities.gov.uk');
});

test('dev, which runs no application of its own, has no image to push and is checked through a review app', async () => {
  const dev = await plan('--env', 'dev');
  expect(step(dev, 'dev', 'secrets').manual).toEqual([expect.stringContaining('core-dev/app/RAILS_MASTER_KEY')]);
  expect(step(dev, 'dev', 'dns-service').check[1]).toContain("403, the listener's answer, until a review app is deployed");
});

test('meta alone is its bootstrap and its deployment', async () => {
  const meta = await plan('--env', 'meta');
  expect(meta.steps.map(({ environment, kind }) => `${environment} ${kind}`)).toEqual(['meta bootstrap', 'meta deploy-meta']);
});

describe('override files with the real account ids', () => {
  test('replace the placeholders, drop the warning and are named in every command of their environment', async () => {
    const production = writeConfigFile({ account: '444444444444' });
    const meta = writeConfigFile({ workloads: { production: { account: '444444444444' } } });
    const withReal = await plan('--env', 'production', '--config', `production=${production}`, '--config', `meta=${meta}`);
    expect(withReal.warnings).toEqual([]);
    expect(withReal.steps[0].who).toContain('444444444444');
    const commands = withReal.steps.flatMap((each) => (each.kind === 'dns-load-balancer' || each.kind === 'dns-service' ? [] : each.commands));
    expect(commands.filter((command) => !command.startsWith(`CORE_CONFIG_FILE=${production} `))).toEqual([]);
  });

  test('--config-file is the file of the environment --env names', async () => {
    const production = writeConfigFile({ account: '444444444444' });
    const meta = writeConfigFile({ workloads: { production: { account: '444444444444' } } });
    const withReal = await plan('--env', 'production', '--config-file', production, '--config', `meta=${meta}`);
    expect(step(withReal, 'production', 'deploy').commands).toEqual([`CORE_CONFIG_FILE=${production} npx nx run production:deploy`]);
  });
});

describe('refusals exit 2 with one message naming the field, the value and the fix, and print no plan', () => {
  const production = writeConfigFile({ account: '444444444444' });
  test.each([
    [['first-deploy'], '--dry-run: first-deploy only prints the plan (got no --dry-run): pass --dry-run'],
    [['first-deploy', '--dry-run', '--env', 'qa'], '"qa" is not an environment of this workspace; choose from meta, dev, staging, production'],
    [['first-deploy', '--dry-run', '--config', 'prod.yaml'], '--config "prod.yaml" is not <environment>=<file>'],
    [['first-deploy', '--dry-run', '--config', 'qa=qa.yaml'], 'qa: not an environment of this workspace; choose from meta, dev, staging, production'],
    [['first-deploy', '--dry-run', '--config-file', production], `--config-file: is the override file of the one environment --env names (got ${production} without --env): add --env <environment>`],
    [['first-deploy', '--dry-run', '--env', 'production', '--config-file', production, '--config', 'production=other.yaml'], `--config-file: ${production} and --config production=other.yaml name two override files for production: keep one`],
    [['first-deploy', '--dry-run', '--format', 'yaml'], "option '--format <format>' argument 'yaml' is invalid. Allowed choices are text, json."],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runDeploy(args, { env: {} });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
  });
});

test('--help shows examples and what a run without --dry-run does', async () => {
  const { stdout } = await runDeploy(['first-deploy', '--help'], { env: {} });
  expect(stdout).toContain('npx core-deploy first-deploy --dry-run --env production --config-file prod.yaml --format json');
  expect(stdout).toContain('Without --dry-run it\nrefuses (exit 2)');
});
