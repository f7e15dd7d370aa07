import type { RiskRule } from '../../risk-rule';

/** CORE.RESPOL.3: Lambda function URLs require IAM authentication. */
export const LAMBDA_URL_AUTH_REQUIRED: RiskRule = {
  id: 'CORE.RESPOL.3',
  ruleName: 'LAMBDA_URL_AUTH_REQUIRED',
  file: 'engine:risk/resource-policy/lambda-url-auth-required',
  title: 'Lambda function URLs require IAM authentication',
  severity: 'high',
  description:
    'A function URL with AuthType NONE (or a permission with FunctionUrlAuthType NONE) can be invoked by anyone who ' +
    'knows the URL, bypassing CloudFront, the WAF and every IAM control. CORE serves users through CloudFront and ' +
    'the load balancer only; a public function URL needs a reviewed reason.',
  remediation: "Set AuthType: AWS_IAM (FunctionUrlAuthType.AWS_IAM), or acknowledge the finding on the URL with a reason: acknowledgeFinding(url, { id: 'CORE.RESPOL.3', reason: '…' }).",
  resourceTypes: ['AWS::Lambda::Url', 'AWS::Lambda::Permission'],
  nistControls: ['AC-3', 'IA-2'],
  profile: 'baseline',
  check: (resource) => {
    const key = resource.type === 'AWS::Lambda::Url' ? 'AuthType' : 'FunctionUrlAuthType';
    if (resource.properties[key] !== 'NONE') return [];
    return [{ message: `${key} is NONE: anyone with the URL can invoke the function`, location: `Properties.${key}` }];
  },
};
