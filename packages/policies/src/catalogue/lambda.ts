import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for AWS Lambda functions (`rules/lambda/`). */
export const LAMBDA_RULES: readonly RuleMetadata[] = guardRules('lambda', [
  {
    id: 'CORE.LAMBDA.1',
    ruleName: 'LAMBDA_RUNTIME_SUPPORTED',
    title: 'Lambda functions use a current, supported runtime',
    severity: 'medium',
    description:
      'Every .zip-packaged function uses a runtime from CORE\'s allow-list (nodejs22.x, nodejs24.x, python3.12, ' +
      'python3.13, python3.14, java21, java25, dotnet10, ruby3.4, provided.al2023): supported and patched, and not ' +
      'due for deprecation within the release cycle. It covers the Slack alert notifier and the handlers CDK adds for ' +
      'custom resources; container-image functions are skipped. Review the list when upgrading aws-cdk-lib.',
    remediation: 'Set runtime to a current runtime such as Runtime.NODEJS_24_X.',
    resourceTypes: ['AWS::Lambda::Function'],
    nistControls: ['SA-22', 'SI-2'],
  },
]);
