import type { RiskRule, RiskViolation } from '../../risk-rule';
import { DEPLOY_TIME, renderString } from '../../values';
import { findCredential, isSecretLookingName } from './credential-patterns';
import { maskDynamicReferences, valuesAt } from './property-values';

/** CORE.SECRET.2: plain (String/StringList) SSM parameters hold no secret. */
export const SSM_PARAMETER_NO_PLAINTEXT_SECRET: RiskRule = {
  id: 'CORE.SECRET.2',
  ruleName: 'SSM_PARAMETER_NO_PLAINTEXT_SECRET',
  file: 'engine:risk/secrets/ssm-parameter-no-plaintext-secret',
  title: 'Plain SSM parameters hold no secrets',
  severity: 'high',
  description:
    'An SSM parameter of Type String or StringList whose name or logical id says it holds a secret (password, ' +
    'secret, token, API key, private key, credential, auth, webhook), or whose value is a well-known credential ' +
    '(AWS access key, GitHub, Slack, Stripe or OpenAI key, private key block, JWT, URL with a password) or a ' +
    'resolved {{resolve:secretsmanager:…}} secret, is stored unencrypted and readable by anyone with ' +
    'ssm:GetParameter or GetParametersByPath on the path, and its value is in the template. Names that point at a ' +
    'secret (…_ARN, …_NAME, …_ID) pass.',
  remediation:
    'Keep the secret in Secrets Manager (secretsmanager.Secret, read with secretValueFromJson or ecs.Secret.fromSecretsManager), ' +
    'or create an SSM SecureString parameter outside CloudFormation and reference it with ' +
    'ssm.StringParameter.fromSecureStringParameterAttributes; store only the secret’s ARN or name in a plain parameter ' +
    '(name it …-secret-arn). Rotate a credential that was committed.',
  resourceTypes: ['AWS::SSM::Parameter'],
  nistControls: ['IA-5', 'IA-5(7)', 'SC-28'],
  profile: 'baseline',
  check: (resource) => {
    const type = resource.properties.Type;
    // SecureString cannot be created by CloudFormation; an intrinsic Type is read as String.
    if (typeof type === 'string' && type !== 'String' && type !== 'StringList') return [];
    const typeText = typeof type === 'string' ? type : 'String';
    const violations: RiskViolation[] = [];
    const name = renderString(resource.properties.Name);
    if (name !== undefined && isSecretLookingName(name, true)) {
      violations.push({ message: `parameter name ${display(name)} looks like a secret, but Type ${typeText} stores it in plain text`, location: 'Properties.Name' });
    } else if (isSecretLookingName(bareLogicalId(resource.logicalId), true)) {
      violations.push({ message: `logical id ${resource.logicalId} looks like a secret, but Type ${typeText} stores it in plain text`, location: 'Properties.Type' });
    }
    for (const { value, location } of valuesAt(resource.properties, 'Value')) {
      const text = renderString(value);
      if (text === undefined) continue;
      if (/\{\{resolve:(secretsmanager|ssm-secure):/.test(text)) {
        violations.push({ message: `Value resolves a secret ({{resolve:…}}) and copies it into a plain ${typeText} parameter`, location });
        continue;
      }
      const credential = findCredential(maskDynamicReferences(text));
      if (credential) violations.push({ message: `Value holds ${credential.label} (${credential.preview})`, location });
    }
    return violations;
  },
};

function display(text: string): string {
  return text.split(DEPLOY_TIME).join('${…}');
}

// CDK logical ids end in a hash and, by convention, in Param/Parameter naming the resource itself,
// which must not read as "a pointer to a secret".
function bareLogicalId(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '').replace(/Param(eter)?$/, '');
}
