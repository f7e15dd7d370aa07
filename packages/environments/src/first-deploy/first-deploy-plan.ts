import { deploymentLockTableName } from '@core-infra/constructs';
import { FIRST_DEPLOY_CONTEXT } from '../app';
import type { EnvironmentConfigFiles, EnvironmentSet } from '../config/environment-set';
import type { EnvironmentName } from '../config/load';
import type { EnvironmentConfig, MetaConfig } from '../config/schema';
import { isPlaceholderAccount } from '../configs/accounts';
import { ciRoleName, infrastructureDeploymentRoleName, stateStoreName } from '../naming';
import { EDGE_REGION } from '../stacks/edge-stack';
import { APP_SECRET_NAMES, appSecretName, PERFORMANCE_TEST_SECRET_NAMES } from '../wiring/app-secrets';

/** Folder, inside an app folder, of the first deployment's assembly (beside the usual `cdk.out`). */
export const FIRST_DEPLOY_ASSEMBLY = 'cdk.out.first-deploy';

/** What a step of the first deployment does, in the order a workload environment takes them. */
export const FIRST_DEPLOY_STEP_KINDS = ['bootstrap', 'deploy-meta', 'first-deploy', 'secrets', 'dns-load-balancer', 'deploy', 'dns-service'] as const;

/**
 * One of {@link FIRST_DEPLOY_STEP_KINDS}: `bootstrap` (CDK's bootstrap stack of an account),
 * `deploy-meta` (meta, by hand), `first-deploy` (a workload with {@link FIRST_DEPLOY_CONTEXT}),
 * `secrets` (their values, by hand), `dns-load-balancer` (the origin's name), `deploy` (the whole
 * environment through CI, while the certificates wait for DNS), `dns-service` (the service's name).
 */
export type FirstDeployStepKind = (typeof FIRST_DEPLOY_STEP_KINDS)[number];

/** One step of the first deployment. */
export interface FirstDeployStep {
  /** 1-based position in the whole sequence. */
  readonly order: number;
  /** The environment the step belongs to. */
  readonly environment: EnvironmentName;
  /** What the step does, for scripts. */
  readonly kind: FirstDeployStepKind;
  /** What the step is, for people. */
  readonly title: string;
  /** Whose credentials (or which people) the step needs. */
  readonly who: string;
  /** Why it comes here, and what it creates. */
  readonly why: string;
  /** Commands, run from the repository root, in order. */
  readonly commands: readonly string[];
  /** What people do that no command can (DNS records, secret values, GitHub settings). */
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

/** Options of {@link planFirstDeploy}. */
export interface FirstDeployPlanOptions {
  /**
   * Plan this environment's steps only.
   *
   * @default - every environment: meta, then the workloads in the meta config's order
   */
  readonly only?: EnvironmentName;
  /**
   * The override file (with the real account ids) of each environment, as the commands should
   * name it in `CORE_CONFIG_FILE`: give absolute paths, the commands run in several folders.
   *
   * @default - none: the commands use the committed configs
   */
  readonly configFiles?: Partial<EnvironmentConfigFiles>;
}

type StepWithoutOrder = Omit<FirstDeployStep, 'order'>;

/**
 * Plans the first deployment of empty accounts. Meta first (state stores, CI roles, registry),
 * by hand; then every workload account bootstrapped, trusting only its infrastructure deployment
 * role, which only the meta account's CI role may assume; then each workload environment in the
 * meta config's order: deployed with {@link FIRST_DEPLOY_CONTEXT} (everything but the
 * certificates, the HTTPS listener, the application and the distribution), its secrets set, its
 * load balancer named in DNS, deployed whole through CI while its certificates wait for their DNS
 * validation records, and its service named in DNS. A pure function of the configs: it reads
 * nothing else and touches nothing.
 *
 * @param set every environment's validated config
 * @param options the one environment to plan, and the override files the commands name
 */
export function planFirstDeploy(set: EnvironmentSet, options: FirstDeployPlanOptions = {}): FirstDeployPlan {
  const { only, configFiles = {} } = options;
  const workloads = (Object.entries(set.workloads) as [EnvironmentName, EnvironmentConfig][]).filter(([name]) => only === undefined || name === only);
  const environments = [...(only === undefined || only === 'meta' ? (['meta'] as const) : []), ...workloads.map(([name]) => name)];
  const run = (environment: EnvironmentName) => (command: string) => (configFiles[environment] ? `CORE_CONFIG_FILE=${configFiles[environment]} ${command}` : command);
  const steps: StepWithoutOrder[] = [];
  if (environments.includes('meta')) steps.push(...metaSteps(set.meta, run('meta')));
  for (const [name, config] of workloads) steps.push(workloadBootstrapStep(name, config, set.meta, run(name)));
  for (const [name, config] of workloads) steps.push(...workloadSteps(name, config, run(name)));
  const placeholders = [
    ...(environments.includes('meta') && isPlaceholderAccount(set.meta.account) ? [`meta ${set.meta.account}`] : []),
    ...workloads.filter(([, config]) => isPlaceholderAccount(config.account)).map(([name, config]) => `${name} ${config.account}`),
  ];
  const warnings =
    placeholders.length === 0
      ? []
      : [`the configs hold placeholder account ids (${placeholders.join(', ')}): put the real ones in override files and plan again with --config <env>=<file>, so every command names its file in CORE_CONFIG_FILE`];
  return { environments, steps: steps.map((step, index) => ({ order: index + 1, ...step })), warnings };
}

/** How a command runs for one environment: with its override file in `CORE_CONFIG_FILE`, if it has one. */
type Runner = (command: string) => string;

function admin(account: string): string {
  return `an administrator session of account ${account} (IAM Identity Center or similar)`;
}

function stackStatus(stackName: string, region: string): string {
  return `aws cloudformation describe-stacks --region ${region} --stack-name ${stackName} --query "Stacks[0].StackStatus" --output text`;
}

function stacksStatus(prefix: string, region: string): string {
  return `aws cloudformation describe-stacks --region ${region} --query "Stacks[?starts_with(StackName, '${prefix}-')].[StackName,StackStatus]" --output text`;
}

function bootstrapCommands(environment: EnvironmentName, run: Runner): string[] {
  return [run(`npx nx run ${environment}:bootstrap -- --dry-run`), run(`npx nx run ${environment}:bootstrap`)];
}

function metaSteps(meta: MetaConfig, run: Runner): StepWithoutOrder[] {
  const scopes = [...new Set([...Object.values(meta.workloads).map((workload) => workload.scope), ...(meta.github.productionEnvironments.includes('meta') ? ['prod' as const] : [])])];
  const infrastructure = meta.github.repositories.filter((repository) => repository.deploys === 'infrastructure');
  return [
    {
      environment: 'meta',
      kind: 'bootstrap',
      title: 'Bootstrap the meta account',
      who: admin(meta.account),
      why: `CDK needs its bootstrap stack in every region meta deploys to (${meta.region}, ${meta.replicaRegion}): hardened, trusting only meta's infrastructure deployment role, with an execution policy generated from meta's stacks (see the bootstrap guide). The dry run prints the cdk bootstrap commands and policies first`,
      commands: bootstrapCommands('meta', run),
      manual: [],
      check: [meta.region, meta.replicaRegion].map((region) => stackStatus('CDKToolkit', region)),
    },
    {
      environment: 'meta',
      kind: 'deploy-meta',
      title: 'Deploy meta by hand',
      who: admin(meta.account),
      why: "meta holds the deploy lock tables, the archive buckets, the registry and the CI roles that core-deploy and CI need, so its first deployment cannot go through them; the CDK CLI uses the administrator session when the bootstrap roles do not trust it, and still hands CloudFormation the execution role",
      commands: [run('npx nx run meta:validate'), run(`(cd apps/meta && npx cdk deploy --app cdk.out --require-approval broadening '${meta.prefix}/*')`)],
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

function workloadBootstrapStep(environment: EnvironmentName, config: EnvironmentConfig, meta: MetaConfig, run: Runner): StepWithoutOrder {
  const ciRoles = meta.github.repositories.filter((repository) => repository.deploys === 'infrastructure').map((repository) => ciRoleName(repository.name, config.ci.scope));
  return {
    environment,
    kind: 'bootstrap',
    title: `Bootstrap the ${environment} account`,
    who: admin(config.account),
    why: `CDK needs its bootstrap stack in every region ${environment} deploys to (${config.region}, and ${EDGE_REGION} for CloudFront's certificate), trusting only ${infrastructureDeploymentRoleName(config.prefix)}, which only the meta account's CI role ${ciRoles.join(', ')} may assume; its execution policy is generated from all of ${environment}'s stacks, so it already covers the deployment with the request path`,
    commands: bootstrapCommands(environment, run),
    manual: [],
    check: [config.region, EDGE_REGION].map((region) => stackStatus('CDKToolkit', region)),
  };
}

function workloadSteps(environment: EnvironmentName, config: EnvironmentConfig, run: Runner): StepWithoutOrder[] {
  const { prefix, region, account } = config;
  const app = `apps/${environment}`;
  const secrets = [...APP_SECRET_NAMES, ...(config.app.performanceTestSecrets ? PERFORMANCE_TEST_SECRET_NAMES : [])].map((name) => appSecretName(prefix, name));
  secrets.push(`${prefix}/monitoring/slack-webhook`);
  const { app: appHost, loadBalancer: loadBalancerHost } = config.hostnames;
  const loadBalancerArn = `"$(aws elbv2 describe-load-balancers --region ${region} --names ${prefix} --query "LoadBalancers[0].LoadBalancerArn" --output text)"`;
  const loadBalancerDnsName = `aws cloudformation describe-stacks --region ${region} --stack-name ${prefix}-app --query "Stacks[0].Outputs[?contains(OutputKey, 'LoadBalancerDnsName')].OutputValue" --output text`;
  const distributionDomainName = `aws cloudfront get-distribution --id "$(aws cloudformation describe-stack-resources --region ${EDGE_REGION} --stack-name ${prefix}-edge --query "StackResources[?ResourceType=='AWS::CloudFront::Distribution'].PhysicalResourceId | [0]" --output text)" --query Distribution.DomainName --output text`;
  const validationRecords = (host: string, certificateRegion: string) =>
    `aws acm describe-certificate --region ${certificateRegion} --certificate-arn "$(aws acm list-certificates --region ${certificateRegion} --certificate-statuses PENDING_VALIDATION ISSUED --query "CertificateSummaryList[?DomainName=='${host}'].CertificateArn | [0]" --output text)" --query "Certificate.[Status,DomainValidationOptions[].ResourceRecord]"`;
  const dig = (host: string) => `dig +short CNAME ${host}`;
  const image = `${config.registry.account}.dkr.ecr.${config.registry.region}.amazonaws.com/${config.registry.repository}:${config.app.imageTag}`;
  const answers =
    config.stage === 'dev'
      ? `curl -sS -o /dev/null -w '%{http_code}\\n' https://${appHost}/   # 403, the listener's answer, until a review app is deployed; then https://${appHost}/<N>/health answers 204`
      : `curl -sS -o /dev/null -w '%{http_code}\\n' https://${appHost}/health   # 204: CloudFront, the load balancer and the application answer`;
  return [
    {
      environment,
      kind: 'first-deploy',
      title: `First deployment of ${environment}, with ${FIRST_DEPLOY_CONTEXT}=true`,
      who: admin(account),
      why: `every stack of ${prefix}, less what waits on people: the load balancer has no certificate and no HTTPS listener (CloudFormation would wait on DNS validation records nobody has added), there is no application (its tasks would read secrets nobody has set), and the edge stack has its web ACL and alert topic but no certificate and no distribution. It creates the secrets, the data tier, the load balancer whose DNS name the next steps need, and ${infrastructureDeploymentRoleName(prefix)}, the role CI deploys through from then on; until it exists neither CI nor core-deploy can deploy here, so an administrator runs the CDK CLI, as meta's first deployment did`,
      commands: [
        run(`(cd ${app} && npx cdk synth --quiet -c ${FIRST_DEPLOY_CONTEXT}=true --output ${FIRST_DEPLOY_ASSEMBLY})`),
        run(`(cd ${app} && npx core-policies check ${FIRST_DEPLOY_ASSEMBLY} --profile ${config.policyProfile} --require-plugin --trusted-accounts=$(npx core-deploy trusted-accounts --env ${environment}))`),
        run(`(cd ${app} && npx cdk deploy --app ${FIRST_DEPLOY_ASSEMBLY} --require-approval broadening '${prefix}/*')`),
      ],
      manual: [],
      check: [stacksStatus(prefix, region), stacksStatus(prefix, EDGE_REGION), `aws iam get-role --role-name ${infrastructureDeploymentRoleName(prefix)} --query Role.Arn --output text`],
    },
    {
      environment,
      kind: 'secrets',
      title: `Set ${environment}'s secrets`,
      who: `the service's owners, with ${admin(account)}`,
      why: `the first deployment created each secret with a generated value; the application${config.stage === 'dev' ? " (dev's review apps)" : ''} and the Slack notifier read the real ones`,
      commands: [],
      manual: [
        `aws secretsmanager put-secret-value --region ${region} --secret-id <name> --secret-string '<value>' for each of: ${secrets.join(', ')}`,
        ...(config.stage === 'dev' ? [] : [`The image ${image} must exist before the deployment with the request path starts the application`]),
      ],
      check: [
        `for s in ${secrets.join(' ')}; do aws secretsmanager describe-secret --region ${region} --secret-id "$s" --query "[Name,CreatedDate,LastChangedDate]" --output text; done   # LastChangedDate after CreatedDate`,
        ...(config.stage === 'dev' ? [] : [`aws ecr describe-images --region ${config.registry.region} --registry-id ${config.registry.account} --repository-name ${config.registry.repository} --image-ids imageTag=${config.app.imageTag} --query "imageDetails[0].imagePushedAt"`]),
      ],
    },
    {
      environment,
      kind: 'dns-load-balancer',
      title: `Point ${loadBalancerHost} at ${environment}'s load balancer`,
      who: `the DNS owner of ${loadBalancerHost}`,
      why: `CloudFront reaches the load balancer by this name, and its certificate is for this name; the record can go in now, before the certificate exists`,
      commands: [loadBalancerDnsName],
      manual: [`CNAME ${loadBalancerHost} to the load balancer's DNS name (the command's output)`],
      check: [`${dig(loadBalancerHost)}   # the load balancer's DNS name`],
    },
    {
      environment,
      kind: 'deploy',
      title: `Deploy all of ${environment} through CI, while its certificates wait for DNS`,
      who: `the deploy workflow (the meta account's ${config.ci.scope} CI role), or npx nx run ${environment}:deploy in a job holding it; the DNS owner of ${appHost}, while it waits`,
      why: `the usual deployment (the lock, the validation evidence, the destructive-change gate, the archive), without ${FIRST_DEPLOY_CONTEXT}: CloudFormation creates the certificate of ${loadBalancerHost} in ${region} and waits until its DNS validation record exists, then the HTTPS listener${config.stage === 'dev' ? '' : ' and the application'}; then the certificate of ${appHost} in ${EDGE_REGION}, waiting the same way, and the distribution with its alias`,
      commands: [run(`npx nx run ${environment}:deploy`)],
      manual: [
        `While the app stack waits, read the validation record of ${loadBalancerHost} (the first check command) and give it to the DNS owner; then, while the edge stack waits, the record of ${appHost} (the second). ACM validates minutes after a record appears and gives up after 72 hours; keep the records: ACM renews the certificates with them`,
      ],
      check: [
        `${validationRecords(loadBalancerHost, region)}   # PENDING_VALIDATION with the CNAME to add, then ISSUED`,
        `${validationRecords(appHost, EDGE_REGION)}   # the same for the service hostname`,
        stacksStatus(prefix, region),
        stacksStatus(prefix, EDGE_REGION),
        `aws elbv2 describe-listeners --region ${region} --load-balancer-arn ${loadBalancerArn} --query "Listeners[].[Protocol,Port]" --output text   # HTTPS 443`,
      ],
    },
    {
      environment,
      kind: 'dns-service',
      title: `Point ${appHost} at ${environment}'s distribution`,
      who: `the DNS owner of ${appHost}`,
      why: 'people reach the service by this name, which the distribution now serves with its certificate',
      commands: [distributionDomainName],
      manual: [`CNAME ${appHost} to the distribution's domain name (the command's output)`],
      check: [`${dig(appHost)}   # the distribution's domain name`, answers],
    },
  ];
}
