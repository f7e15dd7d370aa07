import type { RiskRule, RiskViolation } from '../../risk-rule';
import { DEPLOY_TIME, isObject, isSecretReference, renderString } from '../../values';
import { findCredential, isSecretLookingName } from './credential-patterns';
import { alternatives, intrinsicName, maskDynamicReferences, plaintextProblem, valuesAt } from './property-values';

/** Where each type keeps its lists of `{Name, Value}` environment variables. */
const VARIABLE_LISTS: Readonly<Record<string, readonly string[]>> = {
  'AWS::ECS::TaskDefinition': ['ContainerDefinitions[].Environment[]'],
  'AWS::Batch::JobDefinition': [
    'ContainerProperties.Environment[]',
    'NodeProperties.NodeRangeProperties[].Container.Environment[]',
    'EcsProperties.TaskProperties[].Containers[].Environment[]',
    'NodeProperties.NodeRangeProperties[].EcsProperties.TaskProperties[].Containers[].Environment[]',
  ],
  'AWS::CodeBuild::Project': ['Environment.EnvironmentVariables[]'],
  'AWS::AppRunner::Service': [
    'SourceConfiguration.CodeRepository.CodeConfiguration.CodeConfigurationValues.RuntimeEnvironmentVariables[]',
    'SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables[]',
  ],
};

interface Variable {
  readonly name: string;
  readonly value: unknown;
  readonly location: string;
}

/** CORE.SECRET.3: no credential in a plain environment variable of a function, task, job, build or service. */
export const ENVIRONMENT_NO_PLAINTEXT_SECRET: RiskRule = {
  id: 'CORE.SECRET.3',
  ruleName: 'ENVIRONMENT_NO_PLAINTEXT_SECRET',
  file: 'engine:risk/secrets/environment-no-plaintext-secret',
  title: 'Environment variables carry no plaintext credentials',
  severity: 'critical',
  description:
    'No plain environment variable of a Lambda function, ECS task definition, Batch job definition, CodeBuild project ' +
    '(Type PLAINTEXT) or App Runner service holds a literal under a secret-looking name (PASSWORD, SECRET, TOKEN, ' +
    'API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL, WEBHOOK, DSN, a name ending in _KEY) or, whatever its name, a value ' +
    'in a well-known credential format (AWS access key, GitHub, Slack, Stripe, OpenAI or Google key, Slack webhook, ' +
    'private key block, JWT, URL with a password). Plain variables are stored in clear text in the template and the ' +
    'resource, shown to anyone who can describe it, and copied into logs and crash reports. Names that point at a ' +
    'secret (…_SECRET_ARN, …_KEY_ID, …_NAME) and values that are references pass.',
  remediation:
    'Move the value to Secrets Manager and pass it as a secret: ECS secrets: { NAME: ecs.Secret.fromSecretsManager(secret) } ' +
    '(Secrets/ValueFrom), Batch secrets, CodeBuild type SECRETS_MANAGER, App Runner RuntimeEnvironmentSecrets; a Lambda ' +
    'function gets the secret ARN in a variable and reads the value at run time. Rotate a credential that was committed.',
  resourceTypes: ['AWS::Lambda::Function', ...Object.keys(VARIABLE_LISTS)],
  nistControls: ['IA-5', 'IA-5(7)', 'SC-28'],
  profile: 'baseline',
  check: (resource) => {
    const violations: RiskViolation[] = [];
    const variables: Variable[] = [];
    const paths = resource.type === 'AWS::Lambda::Function' ? ['Environment.Variables'] : (VARIABLE_LISTS[resource.type] ?? []);
    for (const found of paths.flatMap((path) => valuesAt(resource.properties, path))) {
      const fn = found.unreadable ?? intrinsicName(found.value);
      if (fn !== undefined) {
        violations.push({ message: `${found.location.replace(/^Properties\./, '')} is built with ${fn}, so its variables cannot be checked for secrets`, location: found.location });
      } else if (resource.type === 'AWS::Lambda::Function') {
        if (isObject(found.value)) variables.push(...Object.entries(found.value).map(([name, value]) => ({ name, value, location: `${found.location}.${name}` })));
      } else if (isObject(found.value) && isPlaintext(found.value.Type)) {
        variables.push({ name: display(renderString(found.value.Name) ?? '(unnamed)'), value: found.value.Value, location: found.location });
      }
    }
    for (const variable of variables) {
      for (const value of alternatives(variable.value)) {
        const problem = variableProblem(variable.name, value);
        if (problem) violations.push({ message: `environment variable ${variable.name} ${problem}`, location: variable.location });
      }
    }
    return violations;
  },
};

// CodeBuild variables of Type PARAMETER_STORE or SECRETS_MANAGER hold a name, not the secret; the
// other types have no Type. An intrinsic Type is read as PLAINTEXT.
function isPlaintext(type: unknown): boolean {
  return typeof type !== 'string' || type === 'PLAINTEXT';
}

function variableProblem(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = renderString(value);
  const credential = text === undefined ? undefined : findCredential(maskDynamicReferences(text));
  if (credential) return `holds ${credential.label} (${credential.preview})`;
  if (!isSecretLookingName(name) || isSecretReference(value)) return undefined;
  const problem = plaintextProblem(value);
  return problem && `has a secret-looking name and ${problem}`;
}

function display(text: string): string {
  return text.split(DEPLOY_TIME).join('${…}');
}
