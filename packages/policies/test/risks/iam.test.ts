import { IAM_NO_ADMIN_MANAGED_POLICY, IAM_NO_NOT_ACTION_ALLOW, IAM_NO_PASS_OR_ASSUME_ANY_ROLE, IAM_NO_USERS_OR_KEYS, IAM_NO_WILDCARD_ADMIN_ACTIONS, type RiskContext, type RiskResource } from '../../src';

const BASELINE: RiskContext = { profile: 'baseline', trustedAccounts: new Set() };

function resource(type: string, properties: Record<string, unknown>): RiskResource {
  return { logicalId: 'Subject', type, properties, entry: { Type: type, Properties: properties } };
}
const doc = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [statement] });
const inlinePolicy = (statement: Record<string, unknown>) => ({ PolicyDocument: doc(statement), PolicyName: 'p' });
const roleWith = (statement: Record<string, unknown>) => ({ AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }), Policies: [inlinePolicy(statement)] });

describe('CORE.IAM.3 no administrator-class managed policy', () => {
  const check = (r: RiskResource) => IAM_NO_ADMIN_MANAGED_POLICY.check(r, BASELINE);
  test.each([
    ['a role with AdministratorAccess (Fn::Join)', 'AWS::IAM::Role', { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] }] }, 'AdministratorAccess'],
    ['a user with PowerUserAccess', 'AWS::IAM::User', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'] }, 'PowerUserAccess'],
    ['a group with IAMFullAccess', 'AWS::IAM::Group', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/IAMFullAccess'] }, 'IAMFullAccess'],
  ])('FAIL: %s', (_label, type, properties, name) => {
    expect(check(resource(type, properties))).toEqual([{ message: `attaches the AWS-managed policy ${name}`, location: 'Properties.ManagedPolicyArns[0]' }]);
  });
  test('PASS: a narrow AWS-managed policy, and a customer policy of the same name', () => {
    expect(check(resource('AWS::IAM::Role', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::123456789012:policy/AdministratorAccess'] }))).toEqual([]);
  });
  test('SKIP: a role without managed policies', () => {
    expect(check(resource('AWS::IAM::Role', {}))).toEqual([]);
  });
});

describe('CORE.IAM.4 no PassRole or AssumeRole on every resource', () => {
  const check = (r: RiskResource) => IAM_NO_PASS_OR_ASSUME_ANY_ROLE.check(r, BASELINE);
  test('FAIL: iam:PassRole on "*" in an AWS::IAM::Policy', () => {
    expect(check(resource('AWS::IAM::Policy', inlinePolicy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' })))).toEqual([
      { message: expect.stringContaining('allows iam:PassRole on every resource'), location: 'Properties.PolicyDocument.Statement[0].Action' },
    ]);
  });
  test('FAIL: sts:Assume* on every role in a role’s inline policy', () => {
    expect(check(resource('AWS::IAM::Role', roleWith({ Effect: 'Allow', Action: ['sts:Assume*'], Resource: 'arn:aws:iam::*:role/*' })))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('sts:AssumeRole'), location: 'Properties.Policies[0].PolicyDocument.Statement[0].Action' }),
    ]);
  });
  test('PASS: PassRole on a named role', () => {
    expect(check(resource('AWS::IAM::ManagedPolicy', inlinePolicy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/core-app' })))).toEqual([]);
  });
  test('SKIP: other actions on "*"', () => {
    expect(check(resource('AWS::IAM::Policy', inlinePolicy({ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' })))).toEqual([]);
  });
});

describe('CORE.IAM.5 no Allow with NotAction or NotResource', () => {
  const check = (r: RiskResource) => IAM_NO_NOT_ACTION_ALLOW.check(r, BASELINE);
  test('FAIL: NotAction in an identity policy', () => {
    expect(check(resource('AWS::IAM::ManagedPolicy', inlinePolicy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })))).toEqual([
      { message: expect.stringContaining('Allow with NotAction'), location: 'Properties.PolicyDocument.Statement[0].NotAction' },
    ]);
  });
  test('FAIL: NotResource in a bucket policy', () => {
    const properties = { PolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', NotResource: 'arn:aws:s3:::b/private/*' }) };
    expect(check(resource('AWS::S3::BucketPolicy', properties))).toEqual([expect.objectContaining({ location: 'Properties.PolicyDocument.Statement[0].NotResource' })]);
  });
  test('PASS: a Deny with NotAction', () => {
    expect(check(resource('AWS::IAM::Policy', inlinePolicy({ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' })))).toEqual([]);
  });
  test('SKIP: a plain Allow', () => {
    expect(check(resource('AWS::IAM::Policy', inlinePolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })))).toEqual([]);
  });
});

describe('CORE.IAM.6 no control-plane wildcard actions', () => {
  const check = (r: RiskResource) => IAM_NO_WILDCARD_ADMIN_ACTIONS.check(r, BASELINE);
  test.each([
    ['iam:* on one role', 'AWS::IAM::Policy', inlinePolicy({ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::123456789012:role/x' }), 'iam:*'],
    ['"*" on one bucket in a user policy', 'AWS::IAM::User', { Policies: [inlinePolicy({ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: 'arn:aws:s3:::b' })] }, '*'],
    ['KMS:* in any case', 'AWS::IAM::Role', roleWith({ Effect: 'Allow', Action: 'KMS:*', Resource: '*' }), 'kms:*'],
  ])('FAIL: %s', (_label, type, properties, wildcard) => {
    expect(check(resource(type, properties))).toEqual([expect.objectContaining({ message: expect.stringContaining(`allows ${wildcard}`) })]);
  });
  test('PASS: service wildcards outside the control plane, and Deny statements', () => {
    expect(check(resource('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' }] } }))).toEqual([]);
  });
  test('SKIP: a role without inline policies', () => {
    expect(check(resource('AWS::IAM::Role', {}))).toEqual([]);
  });
});

describe('CORE.IAM.7 no IAM users or keys', () => {
  const check = (r: RiskResource) => IAM_NO_USERS_OR_KEYS.check(r, BASELINE);
  test('FAIL: a user with a console password, and an access key', () => {
    expect(check(resource('AWS::IAM::User', { LoginProfile: { Password: '{{resolve:secretsmanager:x}}' } }))).toEqual([{ message: expect.stringContaining('IAM user with a console password'), location: 'Type' }]);
    expect(check(resource('AWS::IAM::AccessKey', { UserName: 'ci' }))).toEqual([{ message: expect.stringContaining('long-lived access key'), location: 'Type' }]);
  });
  test('SKIP: roles are what CORE uses', () => {
    expect(IAM_NO_USERS_OR_KEYS.resourceTypes).not.toContain('AWS::IAM::Role');
  });
});
