import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon ECS clusters, task definitions and services (`rules/ecs/`). */
export const ECS_RULES: readonly RuleMetadata[] = guardRules('ecs', [
  {
    id: 'CORE.ECS.1',
    ruleName: 'ECS_CONTAINER_NON_ROOT_USER',
    title: 'ECS containers run as a named non-root user',
    severity: 'high',
    description:
      'Every container sets User, and it is not root, 0, root:<group> or 0:<gid>. The CORE image runs as nonroot; ' +
      'stating it in the task definition keeps a rebuilt base image from silently running the app as root, which ' +
      'would turn an application compromise into control of the container.',
    remediation: "Set user: 'nonroot' (or another unprivileged user) on every container definition.",
    resourceTypes: ['AWS::ECS::TaskDefinition'],
    nistControls: ['AC-6', 'AC-6(10)', 'CM-7'],
  },
  {
    id: 'CORE.ECS.2',
    ruleName: 'ECS_CONTAINER_NOT_PRIVILEGED',
    title: 'ECS containers are not privileged',
    severity: 'critical',
    description:
      'No container sets Privileged true, which would give it root access to the host kernel and devices. Fargate ' +
      'rejects privileged containers at deploy time; the rule catches them at synth and covers any EC2 task ' +
      'definition.',
    remediation: 'Remove privileged from the container definition or set it to false.',
    resourceTypes: ['AWS::ECS::TaskDefinition'],
    nistControls: ['AC-6', 'AC-6(10)', 'CM-7', 'SC-39'],
  },
  {
    id: 'CORE.ECS.3',
    ruleName: 'ECS_CONTAINER_NO_PLAINTEXT_SECRETS',
    title: 'ECS containers receive secrets through Secrets, never plain environment variables',
    severity: 'high',
    description:
      'No container has a plain Environment entry whose name looks like a secret (PASSWORD, SECRET, TOKEN, ' +
      'CREDENTIAL, PRIVATE_KEY, ACCESS_KEY, API_KEY, AUTH_DATA, a name ending in KEY or DSN, DATABASE_URL, REDIS_URL ' +
      'or a CONNECTION_STRING). Plain values are stored in clear text in the task definition and the template, visible ' +
      'to anyone who can describe it; secrets belong in Secrets Manager or SSM SecureString.',
    remediation:
      'Move the value to Secrets Manager or an SSM SecureString parameter and reference it in the container secrets ' +
      '(secrets: { NAME: ecs.Secret.fromSecretsManager(secret) }).',
    resourceTypes: ['AWS::ECS::TaskDefinition'],
    nistControls: ['IA-5', 'IA-5(7)', 'SC-28'],
  },
  {
    id: 'CORE.ECS.4',
    ruleName: 'ECS_CONTAINER_LOGGING_CONFIGURED',
    title: 'ECS containers send their output to a log driver',
    severity: 'medium',
    description:
      'Every container has a LogConfiguration with a LogDriver, so app and worker output reaches CloudWatch Logs. ' +
      'Without it a Fargate container\'s output is discarded and failed deployments, exceptions and security events ' +
      'cannot be investigated.',
    remediation: 'Set logging: LogDrivers.awsLogs({ logGroup, streamPrefix }) on every container.',
    resourceTypes: ['AWS::ECS::TaskDefinition'],
    nistControls: ['AU-2', 'AU-3', 'AU-12'],
  },
  {
    id: 'CORE.ECS.5',
    ruleName: 'ECS_CLUSTER_EXEC_LOGGING_ENCRYPTED',
    title: 'ECS Exec sessions are encrypted and logged to an encrypted destination',
    severity: 'medium',
    description:
      'A cluster with ExecuteCommandConfiguration names a KmsKeyId for the session channel, does not turn logging off, ' +
      'and with Logging OVERRIDE writes to a CloudWatch log group or S3 bucket with encryption enabled. When a service ' +
      'in the same template enables ECS Exec, each cluster in the template must have that configuration, because ' +
      'operators use ECS Exec to open Rails consoles against production data.',
    remediation:
      'Set executeCommandConfiguration on the cluster with kmsKey, logging: ExecuteCommandLogging.OVERRIDE and a ' +
      'logConfiguration with an encrypted log group (cloudWatchEncryptionEnabled: true).',
    resourceTypes: ['AWS::ECS::Cluster', 'AWS::ECS::Service'],
    nistControls: ['AU-2', 'AU-9', 'AU-12', 'SC-8'],
  },
  {
    id: 'CORE.ECS.6',
    ruleName: 'ECS_SERVICE_CIRCUIT_BREAKER_ENABLED',
    title: 'ECS services roll back failed deployments',
    severity: 'low',
    description:
      'Every ECS service that uses rolling updates enables the deployment circuit breaker with rollback, so a ' +
      'deployment whose tasks keep failing is stopped and the last working task definition restored, instead of ' +
      'cycling failing tasks until someone notices. CODE_DEPLOY and EXTERNAL controllers are skipped.',
    remediation: 'Set circuitBreaker: { enable: true, rollback: true } on the service.',
    resourceTypes: ['AWS::ECS::Service'],
    nistControls: ['CM-3', 'CP-10'],
  },
]);
