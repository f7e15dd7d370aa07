import { loadEnvironmentSet, PLACEHOLDER_ACCOUNTS, type FirstDeployPlan } from '../../src';
import { writeConfigFile } from '../deploy/fake-assembly';
import { runDeploy } from '../support/deploy-cli';

// `core-deploy first-deploy --dry-run` for the committed configs: the whole order, and what each
// step says with the configs' real names, accounts and hostnames; every refusal exits 2.

const dryRun = (...args: string[]) => runDeploy(['first-deploy', '--dry-run', ...args], { env: {} });

async function plan(...args: string[]): Promise<FirstDeployPlan> {
  const { code, stdout, stderr } = await dryRun('--format', 'json', ...args);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as FirstDeployPlan;
}

describe('the whole sequence', () => {
  let whole: FirstDeployPlan;
  beforeAll(async () => {
    whole = await plan();
  });

  test('meta first, then the workloads in the meta config’s order, each bootstrapped before it is deployed', () => {
    expect(whole.environments).toEqual(['meta', ...Object.keys(loadEnvironmentSet().workloads)]);
    expect(whole.steps.map((step) => `${step.environment}: ${step.title}`)).toEqual([
      'meta: Bootstrap the meta account',
      'meta: Deploy meta by hand',
      ...['dev', 'staging', 'production'].flatMap((env) => [
        `${env}: Bootstrap the ${env} account`,
        `${env}: First deployment of ${env}, without the request path`,
        `${env}: Set ${env}'s secrets`,
        `${env}: Deploy all of ${env} through CI`,
        `${env}: Point ${env}'s names at it`,
      ]),
    ]);
    expect(whole.steps.map((step) => step.order)).toEqual(whole.steps.map((_, index) => index + 1));
  });

  test('every step says who runs it and how to check it worked', () => {
    for (const step of whole.steps) expect([step.title, step.who.length > 0, step.check.length > 0]).toEqual([step.title, true, true]);
  });

  test('warns that the committed configs hold placeholder accounts', () => {
    expect(whole.warnings).toEqual([expect.stringContaining(`meta ${PLACEHOLDER_ACCOUNTS.meta}, dev ${PLACEHOLDER_ACCOUNTS.dev}, staging ${PLACEHOLDER_ACCOUNTS.staging}, production ${PLACEHOLDER_ACCOUNTS.production}`)]);
  });

  test('meta is checked by its lock tables and CI roles', () => {
    const check = whole.steps[1].check.join('\n');
    expect(check).toContain('--table-name core-non-prod-deployment-lock');
    expect(check).toContain('--table-name core-prod-deployment-lock');
    expect(check).toContain('aws iam get-role --role-name core-infra-prod');
    expect(whole.steps[1].check).toEqual([...new Set(whole.steps[1].check)]);
  });
});

describe('production alone', () => {
  let production: FirstDeployPlan;
  beforeAll(async () => {
    production = await plan('--env', 'production');
  });

  test('is bootstrapped in its region and the edge region, with the real account', () => {
    const [bootstrap] = production.steps;
    expect(bootstrap.who).toContain(PLACEHOLDER_ACCOUNTS.production);
    expect(bootstrap.commands).toEqual(['npx nx run production:synth', 'npx core-deploy bootstrap --env production --assembly apps/production/cdk.out']);
    expect(bootstrap.check.map((command) => /--region (\S+)/.exec(command)?.[1])).toEqual(['eu-west-2', 'us-east-1']);
  });

  test('deploys without the request path first, checked in the production profile', () => {
    const first = production.steps[1];
    expect(first.commands).toEqual([
      '(cd apps/production && npx cdk synth --quiet -c core:firstDeploy=true --output cdk.out.first-deploy)',
      '(cd apps/production && npx core-policies check cdk.out.first-deploy --profile production --require-plugin --trusted-accounts=$(npx core-deploy trusted-accounts --env production))',
      "(cd apps/production && npx cdk deploy --app cdk.out.first-deploy --require-approval broadening 'core-prod/*')",
    ]);
    expect(first.check).toContain('aws iam get-role --role-name core-prod-infrastructure-deployment --query Role.Arn --output text');
  });

  test("names every secret to set, without staging's performance-test ones, and the image the application needs", () => {
    const [setValues, image] = production.steps[2].manual;
    expect(setValues).toContain('core-prod/app/RAILS_MASTER_KEY');
    expect(setValues).toContain('core-prod/monitoring/slack-webhook');
    expect(setValues).not.toContain('PERFORMANCE_TEST');
    expect(image).toContain(`${PLACEHOLDER_ACCOUNTS.meta}.dkr.ecr.eu-west-2.amazonaws.com/core:`);
  });

  test('reads the certificate validation records of both hostnames while CI deploys, and points both names', () => {
    const [, , , ci, dns] = production.steps;
    expect(ci.commands).toEqual(['npx nx run production:deploy']);
    expect(ci.check.join('\n')).toContain("DomainName=='lb.submit-social-housing-data.communities.gov.uk'");
    expect(ci.check.join('\n')).toContain(`list-certificates --region us-east-1 --certificate-statuses PENDING_VALIDATION ISSUED --query "CertificateSummaryList[?DomainName=='submit-social-housing-data.communities.gov.uk']`);
    expect(dns.manual).toEqual([
      "CNAME lb.submit-social-housing-data.communities.gov.uk to the load balancer's DNS name (the first command)",
      "CNAME submit-social-housing-data.communities.gov.uk to the distribution's domain name (the second command)",
    ]);
  });

  test('the text form lists the same steps with their commands', async () => {
    const { code, stdout } = await dryRun('--env', 'production');
    expect(code).toBe(0);
    expect(stdout).toContain('1. production: Bootstrap the production account');
    expect(stdout).toContain("     $ (cd apps/production && npx cdk deploy --app cdk.out.first-deploy --require-approval broadening 'core-prod/*')");
  });
});

test('dev, which runs no application of its own, has no image to push', async () => {
  const dev = await plan('--env', 'dev');
  expect(dev.steps[2].manual).toEqual([expect.stringContaining('core-dev/app/RAILS_MASTER_KEY')]);
});

test('real account ids from override files replace the placeholders, and the warning goes', async () => {
  const production = writeConfigFile({ account: '444444444444' });
  const meta = writeConfigFile({ workloads: { production: { account: '444444444444' } } });
  const withReal = await plan('--env', 'production', '--config', `production=${production}`, '--config', `meta=${meta}`);
  expect(withReal.warnings).toEqual([]);
  expect(withReal.steps[0].who).toContain('444444444444');
});

describe('refusals exit 2 with one line and print no plan', () => {
  test.each([
    [['first-deploy'], 'first-deploy only prints the plan: pass --dry-run'],
    [['first-deploy', '--dry-run', '--env', 'qa'], '"qa" is not an environment of this workspace; choose from meta, dev, staging, production'],
    [['first-deploy', '--dry-run', '--config', 'prod.yaml'], '--config "prod.yaml" is not <environment>=<file>'],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await runDeploy(args, { env: {} });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
  });
});
