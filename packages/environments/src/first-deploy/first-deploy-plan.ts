import { deploymentLockTableName } from '@core-infra/constructs';
import { FIRST_DEPLOY_CONTEXT } from '../app';
import type { EnvironmentSet } from '../config/environment-set';
import type { EnvironmentName } from '../config/load';
import type { EnvironmentConfig, MetaConfig } from '../config/schema';
import { isPlaceholderAccount } from '../configs/accounts';
import { ciRoleName, infrastructureDeploymentRoleName, stateStoreName } from '../naming';
import { EDGE_REGION } from '../stacks/edge-stack';
import { slackWebhookSecretName } from '../stacks/monitoring-stack';
import { APP_SECRET_NAMES, appSecretName, PERFORMANCE_TEST_SECRET_NAMES } from '../wiring/app-secrets';

/** Folder, inside an app folder, of the first deployment's assembly (beside the usual `cdk.out`). */
export const FIRST_DEPLOY_ASSEMBLY = 'cdk.out.first-deploy';

/** One step of an environment's first deployment. */
export interface FirstDeployStep {
  /** 1-based position in the whole sequence. */
  readonly order: number;
  /** The environment the step belongs to. */
  readonly environment: EnvironmentName;
  /** What the step is. */
  readonly title: string;
  /** Whose credentials (or which people) the step needs. */
  readonly who: string;
  /** Why it comes here, and what it creates. */
  readonly why: string;
  /** Commands, run from the repository root, in order. */
  readonly commands: readonly string[];
  /** What people do that no command can (DNS, secret values, GitHub settings). */
  readonly manual: readonly string[];
  /** Commands that show the step worked. */
  readonly check: readonly string[];
}

/** The first deployment of a set of environments, in order. */
export interface FirstDeployPlan {
  /** The environments planned, in deployment order. */
  readonly environments: readonly EnvironmentName[];
  /** Every step, in order. */
  readonly steps: readonly FirstDeployStep[];
  /** What must be fixed before any step runs. */
  readonly warnings: readonly string[];
}

type StepWithoutOrder = Omit<FirstDeployStep, 'order'>;

/**
 * Plans the first deployment of empty accounts: meta first (state stores, CI roles, registry),
 * then each workload environment in the meta config's order, each one bootstrapped (trusting its
 * infrastructure deployment role), deployed without its request path
 * ({@link FIRST_DEPLOY_CONTEXT}), given its secrets, deployed whole through CI while its
 * certificates wait for their DNS records, and given its DNS names. A pure function of the
 * configs: it reads nothing else and touches nothing.
 *
 * @param set every environment's validated config
 * @param only plan this environment's steps only
 */
export function planFirstDeploy(set: EnvironmentSet, only?: EnvironmentName): FirstDeployPlan {
  const workloads = Object.entries(set.workloads) as [EnvironmentName, EnvironmentConfig][];
  const environments = (['meta', ...workloads.map(([name]) => name)] as EnvironmentName[]).filter((name) => only === undefined || name === only);
  const steps: StepWithoutOrder[] = [];
  if (environments.includes('meta')) steps.push(...metaSteps(set.meta));
  for (const [name, config] of workloads) if (environments.includes(name)) steps.push(...workloadSteps(name, config, set.meta));
  const placeholders = [
    ...(environments.includes('meta') && isPlaceholderAccount(set.meta.account) ? [`meta ${set.meta.account}`] : []),
    ...workloads.filter(([name, config]) => environments.includes(name) && isPlaceholderAccount(config.account)).map(([name, config]) => `${name} ${config.account}`),
  ];
  const warnings =
    placeholders.length === 0
      ? []
      : [`the configs hold placeholder account ids (${placeholders.join(', ')}): put the real ones in override files (--config <env>=<file>, CORE_CONFIG_FILE for each app) before running any step`];
  return { environments, steps: steps.map((step, index) => ({ order: index + 1, ...step })), warnings };
}

function admin(account: string): string {
  return `an administrator session of account ${account} (IAM Identity Center or similar)`;
}

function stackStatus(stackName: string, region: string): string {
  return `aws cloudformation describe-stacks --region ${region} --stack-name ${stackName} --query "Stacks[0].StackStatus" --output text`;
}

function bootstrapStep(environment: EnvironmentName, account: string, regions: readonly string[]): StepWithoutOrder {
  return {
    environment,
    title: `Bootstrap the ${environment} account`,
    who: admin(account),
    why: `CDK needs its bootstrap stack in every region ${environment} deploys to (${regions.join(', ')}): hardened, trusting only ${environment}'s infrastructure deployment role, with an execution policy generated from its stacks (see the bootstrap guide)`,
    commands: [`npx nx run ${environment}:synth`, `npx core-deploy bootstrap --env ${environment} --assembly apps/${environment}/cdk.out`],
    manual: [],
    check: regions.map((region) => stackStatus('CDKToolkit', region)),
  };
}

function metaSteps(meta: MetaConfig): StepWithoutOrder[] {
  const scopes = [...new Set([...Object.values(meta.workloads).map((workload) => workload.scope), ...(meta.github.productionEnvironments.includes('meta') ? ['prod' as const] : [])])];
  const infrastructure = meta.github.repositories.filter((repository) => repository.deploys === 'infrastructure');
  return [
    bootstrapStep('meta', meta.account, [meta.region, meta.replicaRegion]),
    {
      environment: 'meta',
      title: 'Deploy meta by hand',
      who: admin(meta.account),
      why: "meta holds the deploy lock tables, the archive buckets and the CI roles that core-deploy and CI need, so its first deployment cannot go through them; the CDK CLI uses the administrator session when the bootstrap roles do not trust it, and still hands CloudFormation the execution role",
      commands: [`(cd apps/meta && npx cdk deploy --app cdk.out --require-approval broadening '${meta.prefix}/*')`],
      manual: [
        `GitHub, repository ${meta.github.owner}/${infrastructure.map((repository) => repository.name).join(', ')}: set the variables CORE_META_ACCOUNT_ID=${meta.account} and CORE_AWS_REGION=${meta.region}, and create the environments ${meta.github.productionEnvironments.join(', ')} with required reviewers`,
        'Push the first application image to the core repository of the meta registry before a workload environment runs its application',
      ],
      check: [
        ...scopes.map((scope) => `aws dynamodb describe-table --region ${meta.region} --table-name ${deploymentLockTableName(stateStoreName(scope))} --query Table.TableStatus --output text`),
        ...infrastructure.flatMap((repository) => scopes.map((scope) => `aws iam get-role --role-name ${ciRoleName(repository.name, scope)} --query Role.Arn --output text`)),
      ],
    },
  ];
}

function workloadSteps(environment: EnvironmentName, config: EnvironmentConfig, meta: MetaConfig): StepWithoutOrder[] {
  const { prefix, region, account } = config;
  const app = `apps/${environment}`;
  const secrets = [...APP_SECRET_NAMES, ...(config.app.performanceTestSecrets ? PERFORMANCE_TEST_SECRET_NAMES : [])].map((name) => appSecretName(prefix, name));
  secrets.push(slackWebhookSecretName(prefix));
  const { app: appHost, loadBalancer: loadBalancerHost } = config.hostnames;
  const certificate = (host: string, certificateRegion: string) =>
    `aws acm describe-certificate --region ${certificateRegion} --certificate-arn "$(aws acm list-certificates --region ${certificateRegion} --certificate-statuses PENDING_VALIDATION ISSUED --query "CertificateSummaryList[?DomainName=='${host}'].CertificateArn | [0]" --output text)" --query "Certificate.DomainValidationOptions[].ResourceRecord"`;
  return [
    bootstrapStep(environment, account, [region, EDGE_REGION]),
    {
      environment,
      title: `First deployment of ${environment}, without the request path`,
      who: admin(account),
      why: `with -c ${FIRST_DEPLOY_CONTEXT}=true the ${prefix} stage holds only the monitoring, network, data and deployment-access stacks: the secrets, database, Redis and buckets, and the infrastructure deployment role CI deploys through. No certificate, listener, distribution or application yet, so nothing waits on DNS records and nothing reads a secret nobody has set. The lock and core-deploy come later: the role they need is created here`,
      commands: [
        `(cd ${app} && npx cdk synth --quiet -c ${FIRST_DEPLOY_CONTEXT}=true --output ${FIRST_DEPLOY_ASSEMBLY})`,
        `(cd ${app} && npx core-policies check ${FIRST_DEPLOY_ASSEMBLY} --profile ${config.policyProfile} --require-plugin --trusted-accounts=$(npx core-deploy trusted-accounts --env ${environment}))`,
        `(cd ${app} && npx cdk deploy --app ${FIRST_DEPLOY_ASSEMBLY} --require-approval broadening '${prefix}/*')`,
      ],
      manual: [],
      check: [stackStatus(`${prefix}-data`, region), `aws iam get-role --role-name ${infrastructureDeploymentRoleName(prefix)} --query Role.Arn --output text`],
    },
    {
      environment,
      title: `Set ${environment}'s secrets`,
      who: `the service's owners, with ${admin(account)}`,
      why: 'the first deployment created each secret with a random value; the application and the Slack notifier read the real ones',
      commands: [],
      manual: [
        `aws secretsmanager put-secret-value --region ${region} --secret-id <name> --secret-string '<value>' for each of: ${secrets.join(', ')}`,
        ...(config.stage === 'dev' ? [] : [`The image ${meta.account}.dkr.ecr.${config.registry.region}.amazonaws.com/${config.registry.repository}:${config.app.imageTag} must exist before the next step starts the application`]),
      ],
      check: [`for s in ${secrets.join(' ')}; do aws secretsmanager describe-secret --region ${region} --secret-id "$s" --query "[Name,LastChangedDate]" --output text; done`],
    },
    {
      environment,
      title: `Deploy all of ${environment} through CI`,
      who: `the deploy workflow (the meta account's ${config.ci.scope} CI role), or npx nx run ${environment}:deploy in a job holding it`,
      why: `the usual deployment under the deploy lock, with the request path: CloudFormation creates the certificates for ${loadBalancerHost} (${region}) and ${appHost} (${EDGE_REGION}) and waits until their DNS validation records exist; only then the HTTPS listener, the distribution's alias and the application`,
      commands: [`npx nx run ${environment}:deploy`],
      manual: [
        `While it waits, give the DNS owner of ${appHost} and ${loadBalancerHost} the validation records the check commands print; ACM validates minutes after they appear and gives up after 72 hours`,
      ],
      check: [certificate(loadBalancerHost, region), certificate(appHost, EDGE_REGION), stackStatus(`${prefix}-app`, region), stackStatus(`${prefix}-edge`, EDGE_REGION)],
    },
    {
      environment,
      title: `Point ${environment}'s names at it`,
      who: `the DNS owner of ${appHost}`,
      why: 'CloudFront reaches the load balancer by its name, and people reach CloudFront by the service name',
      commands: [
        `aws cloudformation describe-stacks --region ${region} --stack-name ${prefix}-app --query "Stacks[0].Outputs[?contains(OutputKey, 'LoadBalancerDnsName')].OutputValue" --output text`,
        `aws cloudfront get-distribution --id "$(aws cloudformation describe-stack-resources --region ${EDGE_REGION} --stack-name ${prefix}-edge --query "StackResources[?ResourceType=='AWS::CloudFront::Distribution'].PhysicalResourceId | [0]" --output text)" --query Distribution.DomainName --output text`,
      ],
      manual: [`CNAME ${loadBalancerHost} to the load balancer's DNS name (the first command)`, `CNAME ${appHost} to the distribution's domain name (the second command)`],
      check: [
        `curl -sS -o /dev/null -w '%{http_code}\\n' https://${loadBalancerHost}/   # 403: the load balancer answers only CloudFront`,
        `curl -sS -o /dev/null -w '%{http_code}\\n' https://${appHost}/   # ${config.stage === 'dev' ? "403 until a review app is deployed" : "the application's answer, 200 or 302"}`,
      ],
    },
  ];
}
