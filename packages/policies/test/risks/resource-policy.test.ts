import { LAMBDA_URL_AUTH_REQUIRED, RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL, RESOURCE_POLICY_TRUSTED_ACCOUNTS, type RiskContext, type RiskResource } from '../../src';

const BASELINE: RiskContext = { profile: 'baseline', trustedAccounts: new Set(['111111111111']) };

function resource(type: string, properties: Record<string, unknown>): RiskResource {
  return { logicalId: 'Subject', type, properties, entry: { Type: type, Properties: properties } };
}

function policy(statement: Record<string, unknown>): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [statement] };
}

const ALLOW_ANYONE = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' };
const selfRoot = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };

describe('CORE.RESPOL.1 no unrestricted principal without a pinning condition', () => {
  const check = (r: RiskResource) => RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL.check(r, BASELINE);

  test.each([
    ['an S3 bucket policy', 'AWS::S3::BucketPolicy', { PolicyDocument: policy(ALLOW_ANYONE) }, 'Properties.PolicyDocument.Statement[0].Principal'],
    ['an SQS queue policy with Principal "*"', 'AWS::SQS::QueuePolicy', { PolicyDocument: policy({ ...ALLOW_ANYONE, Principal: '*' }) }, 'Properties.PolicyDocument.Statement[0].Principal'],
    ['a KMS key policy with {"AWS": ["*"]}', 'AWS::KMS::Key', { KeyPolicy: policy({ ...ALLOW_ANYONE, Principal: { AWS: ['*'] } }) }, 'Properties.KeyPolicy.Statement[0].Principal'],
    ['a role trust open to anyone', 'AWS::IAM::Role', { AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) }, 'Properties.AssumeRolePolicyDocument.Statement[0].Principal'],
    ['a CloudWatch Logs resource policy given as a JSON string', 'AWS::Logs::ResourcePolicy', { PolicyDocument: JSON.stringify(policy({ ...ALLOW_ANYONE, Principal: '*' })) }, 'Properties.PolicyDocument.Statement[0].Principal'],
    ['an Allow with NotPrincipal', 'AWS::SNS::TopicPolicy', { PolicyDocument: policy({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sns:Publish', Resource: '*' }) }, 'Properties.PolicyDocument.Statement[0].NotPrincipal'],
    ['a Lambda permission to "*"', 'AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: '*' }, 'Properties.Principal'],
    ['an ECR repository policy pinned by a wildcard-only condition', 'AWS::ECR::Repository', { RepositoryPolicyText: policy({ ...ALLOW_ANYONE, Condition: { StringLike: { 'aws:SourceArn': '*' } } }) }, 'Properties.RepositoryPolicyText.Statement[0].Principal'],
  ])('FAIL: %s', (_label, type, properties, location) => {
    expect(check(resource(type, properties))).toEqual([expect.objectContaining({ location })]);
  });

  test('FAIL: a policy joined from literal text is read, and its open principal found', () => {
    const joined = { 'Fn::Join': ['', ['{"Statement":[{"Effect":"Allow","Principal":"', '*', '"}]}']] };
    expect(check(resource('AWS::SecretsManager::ResourcePolicy', { ResourcePolicy: joined, SecretId: 's' }))).toEqual([
      expect.objectContaining({ location: 'Properties.ResourcePolicy.Statement[0].Principal' }),
    ]);
  });

  test('FAIL: a policy built at deploy time cannot be verified', () => {
    const joined = { 'Fn::Join': ['', ['{"Statement":[{"Effect":"Allow","Principal":"', { Ref: 'Who' }, '"}]}']] };
    expect(check(resource('AWS::SecretsManager::ResourcePolicy', { ResourcePolicy: joined, SecretId: 's' }))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('built at deploy time') }),
    ]);
  });

  test.each([
    ['a Deny to anyone (the TLS-only statement)', 'AWS::S3::BucketPolicy', { PolicyDocument: policy({ ...ALLOW_ANYONE, Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) }],
    ['a service principal', 'AWS::SNS::TopicPolicy', { PolicyDocument: policy({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: '*' }) }],
    ['anyone pinned by aws:PrincipalOrgID', 'AWS::S3::BucketPolicy', { PolicyDocument: policy({ ...ALLOW_ANYONE, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }) }],
    ['the own account root', 'AWS::KMS::Key', { KeyPolicy: policy({ Effect: 'Allow', Principal: { AWS: selfRoot }, Action: 'kms:*', Resource: '*' }) }],
    ['a Lambda permission to "*" pinned by SourceArn', 'AWS::Lambda::Permission', { Principal: '*', SourceArn: 'arn:aws:s3:::bucket', Action: 'lambda:InvokeFunction', FunctionName: 'f' }],
  ])('PASS: %s', (_label, type, properties) => {
    expect(check(resource(type, properties))).toEqual([]);
  });

  test('SKIP: a resource without a resource policy', () => {
    expect(check(resource('AWS::KMS::Key', { EnableKeyRotation: true }))).toEqual([]);
  });

  test('covers every policy-bearing type it lists, including types CORE does not emit', () => {
    expect(RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL.resourceTypes).toEqual(
      expect.arrayContaining(['AWS::SecretsManager::ResourcePolicy', 'AWS::ECR::Repository', 'AWS::Logs::ResourcePolicy', 'AWS::OpenSearchService::Domain', 'AWS::EFS::FileSystem', 'AWS::Lambda::Permission']),
    );
  });
});

describe('CORE.RESPOL.2 principals come from declared accounts', () => {
  const check = (r: RiskResource, context = BASELINE) => RESOURCE_POLICY_TRUSTED_ACCOUNTS.check(r, context);
  const grantTo = (principal: unknown) => ({ PolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sns:Publish', Resource: '*' }) });

  test.each([
    ['a literal ARN', 'arn:aws:iam::999999999999:root'],
    ['a bare account id', '999999999999'],
    ['an ARN built with Fn::Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999999999999:role/x']] }],
    ['an ARN built with Fn::Sub', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::999999999999:root' }],
  ])('FAIL: a topic policy naming a foreign account as %s', (_label, principal) => {
    expect(check(resource('AWS::SNS::TopicPolicy', grantTo(principal)))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('account 999999999999'), location: 'Properties.PolicyDocument.Statement[0].Principal' }),
    ]);
  });

  test('FAIL: a role trusting a foreign account, and a Lambda permission for one', () => {
    const trust = { AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }) };
    expect(check(resource('AWS::IAM::Role', trust))).toHaveLength(1);
    expect(check(resource('AWS::Lambda::Permission', { Principal: '999999999999', Action: 'lambda:InvokeFunction', FunctionName: 'f' }))).toHaveLength(1);
  });

  test.each([
    ['the own account', selfRoot],
    ['a declared account', 'arn:aws:iam::111111111111:root'],
    ['the eu-west-2 load-balancer log-delivery account', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::652711504416:root']] }],
  ])('PASS: %s', (_label, principal) => {
    expect(check(resource('AWS::S3::BucketPolicy', grantTo(principal)))).toEqual([]);
  });

  test('without declared accounts only the own account passes', () => {
    expect(check(resource('AWS::S3::BucketPolicy', grantTo('arn:aws:iam::111111111111:root')), { profile: 'baseline', trustedAccounts: new Set() })).toHaveLength(1);
  });

  test('SKIP: a Deny naming a foreign account', () => {
    expect(check(resource('AWS::S3::BucketPolicy', { PolicyDocument: policy({ Effect: 'Deny', Principal: { AWS: '999999999999' }, Action: '*', Resource: '*' }) }))).toEqual([]);
  });
});

describe('CORE.RESPOL.3 function URLs require IAM auth', () => {
  const check = (r: RiskResource) => LAMBDA_URL_AUTH_REQUIRED.check(r, BASELINE);
  test('FAIL: a function URL with AuthType NONE', () => {
    expect(check(resource('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: 'f' }))).toEqual([{ message: expect.stringContaining('AuthType is NONE'), location: 'Properties.AuthType' }]);
  });
  test('FAIL: a permission for unauthenticated function URL calls', () => {
    expect(check(resource('AWS::Lambda::Permission', { FunctionUrlAuthType: 'NONE', Principal: '*', Action: 'lambda:InvokeFunctionUrl', FunctionName: 'f' }))).toHaveLength(1);
  });
  test('PASS: AWS_IAM', () => {
    expect(check(resource('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: 'f' }))).toEqual([]);
  });
  test('SKIP: an ordinary permission', () => {
    expect(check(resource('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', Action: 'lambda:InvokeFunction', FunctionName: 'f' }))).toEqual([]);
  });
});
