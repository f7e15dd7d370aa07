import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  ENVIRONMENT_NO_PLAINTEXT_SECRET,
  SECRET_PROPERTIES_NO_LITERAL,
  SECRET_RISK_RULES,
  SSM_PARAMETER_NO_PLAINTEXT_SECRET,
  type RiskContext,
  type RiskResource,
  type RiskViolation,
} from '../../src';
import { findCredential, isSecretLookingName, preview } from '../../src/risks/rules/secrets/credential-patterns';
import { FAILING_RESOURCES } from './fixtures/secrets';

const BASELINE: RiskContext = { profile: 'baseline', trustedAccounts: new Set() };
const PRODUCTION: RiskContext = { profile: 'production', trustedAccounts: new Set() };

function resource(type: string, properties: Record<string, unknown>, logicalId = 'Subject'): RiskResource {
  return { logicalId, type, properties, entry: { Type: type, Properties: properties } };
}

// Fake credentials, assembled at run time so secret scanners do not flag this file.
const PASSWORD = 'hunter2-correct-horse-battery';
const FAKE = {
  awsKeyId: `AKIA${'EXAMPLE0'.repeat(2)}`,
  github: `ghp_${'a1B2'.repeat(9)}`,
  githubPat: `github_pat_${'11AAAAAAA0'.repeat(3)}`,
  slackToken: ['xoxb', '000000000000', 'abcdefghijklmnop'].join('-'),
  slackWebhook: ['https://hooks.slack.com', 'services', 'T00000000', 'B00000000', 'X'.repeat(24)].join('/'),
  privateKey: `-----BEGIN RSA ${'PRIVATE'} KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----`,
  stripe: ['sk', 'live', '0a'.repeat(12)].join('_'),
  openAi: `sk-proj-${'a'.repeat(20)}T3BlbkFJ${'b'.repeat(20)}`,
  google: `AIza${'0'.repeat(35)}`,
  jwt: ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJzZXJ2aWNlIn0', 'c2lnbmF0dXJlLXNpZ25hdHVyZQ'].join('.'),
  urlPassword: `postgresql://app:${PASSWORD}@db.internal:5432/core`,
};

// The way CDK passes a generated secret: a dynamic reference around the secret's Ref.
const dynamicReference = (secret: string, key = 'password') => ({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret }, `:SecretString:${key}::}}`]] });

/** No message prints a secret: at most its first four characters. */
function expectNoSecretIn(violations: readonly RiskViolation[], secret: string): void {
  for (const violation of violations) expect(violation.message).not.toContain(secret.slice(0, 5));
}

describe('CORE.SECRET.1 secret-bearing properties hold no literal', () => {
  const check = (r: RiskResource) => SECRET_PROPERTIES_NO_LITERAL.check(r, BASELINE);

  test('SKIP: an instance whose password RDS manages, and a secret CDK generates', () => {
    // GIVEN resources with no secret-bearing property set
    const managed = resource('AWS::RDS::DBInstance', { Engine: 'postgres', ManageMasterUserPassword: true });
    const generated = resource('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true } });

    // THEN
    expect(check(managed)).toEqual([]);
    expect(check(generated)).toEqual([]);
  });

  test.each([
    ['an RDS password as CDK writes it', 'AWS::RDS::DBInstance', { MasterUserPassword: dynamicReference('DatabaseSecret') }],
    ['a Redis AUTH token from a secret', 'AWS::ElastiCache::ReplicationGroup', { AuthToken: dynamicReference('RedisAuthToken', '') }],
    ['a password from a NoEcho parameter', 'AWS::DocDB::DBCluster', { MasterUserPassword: { Ref: 'DbPassword' } }],
    ['an ssm-secure dynamic reference', 'AWS::DirectoryService::MicrosoftAD', { Password: '{{resolve:ssm-secure:/core/ad-password:1}}' }],
    [
      'CORE’s DATABASE_URL secret: a URL around a dynamic reference',
      'AWS::SecretsManager::Secret',
      {
        SecretString: {
          'Fn::Join': ['', ['postgresql://postgres:{{resolve:secretsmanager:', { Ref: 'Attachment' }, ':SecretString:password::}}@', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }, ':', { 'Fn::GetAtt': ['Db', 'Endpoint.Port'] }, '/data_collector?sslmode=require']],
        },
      },
    ],
    [
      'CORE’s REDIS_CONFIG secret: JSON around a dynamic reference',
      'AWS::SecretsManager::Secret',
      { SecretString: { 'Fn::Join': ['', ['[{"instance_name":"","credentials":{"uri":"rediss://:{{resolve:secretsmanager:', { Ref: 'Token' }, ':SecretString:::}}@', { 'Fn::GetAtt': ['Redis', 'PrimaryEndPoint.Address'] }, ':6379"}}]']] } },
    ],
  ])('PASS: %s', (_label, type, properties) => {
    // GIVEN a secret-bearing property that only references a secret
    // THEN
    expect(check(resource(type, properties))).toEqual([]);
  });

  test.each([
    ['an RDS master password', 'AWS::RDS::DBInstance', { MasterUserPassword: PASSWORD }, 'MasterUserPassword', 'Properties.MasterUserPassword'],
    ['a Redis AUTH token', 'AWS::ElastiCache::ReplicationGroup', { AuthToken: PASSWORD }, 'AuthToken', 'Properties.AuthToken'],
    ['an Amazon MQ user password', 'AWS::AmazonMQ::Broker', { Users: [{ Username: 'a', Password: { Ref: 'P' } }, { Username: 'b', Password: PASSWORD }] }, 'Users[1].Password', 'Properties.Users[1].Password'],
    ['an ElastiCache user password', 'AWS::ElastiCache::User', { Passwords: [PASSWORD] }, 'Passwords[0]', 'Properties.Passwords[0]'],
    [
      'an OpenSearch master user password',
      'AWS::OpenSearchService::Domain',
      { AdvancedSecurityOptions: { MasterUserOptions: { MasterUserName: 'admin', MasterUserPassword: PASSWORD } } },
      'AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword',
      'Properties.AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword',
    ],
    ['an IAM console password', 'AWS::IAM::User', { LoginProfile: { Password: PASSWORD } }, 'LoginProfile.Password', 'Properties.LoginProfile.Password'],
    ['an Amplify OAuth token', 'AWS::Amplify::App', { Name: 'a', OauthToken: FAKE.github }, 'OauthToken', 'Properties.OauthToken'],
    ['a plain SecretString', 'AWS::SecretsManager::Secret', { SecretString: PASSWORD }, 'SecretString', 'Properties.SecretString'],
    ['a literal behind Fn::If', 'AWS::Redshift::Cluster', { MasterUserPassword: { 'Fn::If': ['IsProd', { Ref: 'P' }, PASSWORD] } }, 'MasterUserPassword', 'Properties.MasterUserPassword'],
    ['a literal joined to a dynamic reference', 'AWS::RDS::DBCluster', { MasterUserPassword: { 'Fn::Join': ['', [PASSWORD, '{{resolve:secretsmanager:s}}']] } }, 'mixes literal text', 'Properties.MasterUserPassword'],
  ])('FAIL: %s', (_label, type, properties, named, location) => {
    // GIVEN a literal credential in a secret-bearing property
    // WHEN
    const violations = check(resource(type, properties));

    // THEN the property is named and the secret is not printed
    expect(violations).toEqual([expect.objectContaining({ message: expect.stringContaining(named), location })]);
    expectNoSecretIn(violations, type === 'AWS::Amplify::App' ? FAKE.github : PASSWORD);
  });

  test('FAIL: a password from the template’s Mappings is a literal too', () => {
    // GIVEN
    const fromMappings = resource('AWS::DMS::Endpoint', { EndpointType: 'source', Password: { 'Fn::FindInMap': ['Env', 'prod', 'DbPassword'] } });

    // THEN
    expect(check(fromMappings)).toEqual([{ message: expect.stringContaining('Fn::FindInMap'), location: 'Properties.Password' }]);
  });

  test.each([
    ['a JSON key with a literal password', `{"username":"core","password":"${PASSWORD}","host":"{{resolve:secretsmanager:h}}"}`, 'sets password'],
    ['a URL query with a literal token', `https://api.example.com/?token=${PASSWORD}&key={{resolve:secretsmanager:k}}`, 'sets token'],
    ['a GitHub token', `{"token":"{{resolve:secretsmanager:t}}","backup":"${FAKE.github}"}`, 'a GitHub token'],
  ])('FAIL: a SecretString with dynamic references that also holds %s', (_label, text, expected) => {
    // GIVEN a secret string built around a dynamic reference, with a literal credential beside it
    // WHEN
    const violations = check(resource('AWS::SecretsManager::Secret', { SecretString: text }));

    // THEN
    expect(violations).toEqual([{ message: expect.stringContaining(expected), location: 'Properties.SecretString' }]);
    expectNoSecretIn(violations, text.includes(PASSWORD) ? PASSWORD : FAKE.github);
  });

  test('FAIL: a list of users given as an intrinsic function cannot be checked', () => {
    // GIVEN
    const users = resource('AWS::AmazonMQ::Broker', { Users: { 'Fn::FindInMap': ['Env', 'prod', 'Users'] } });

    // THEN
    expect(check(users)).toEqual([{ message: expect.stringContaining('cannot be checked'), location: 'Properties.Users' }]);
  });
});

describe('CORE.SECRET.2 plain SSM parameters hold no secrets', () => {
  const check = (r: RiskResource) => SSM_PARAMETER_NO_PLAINTEXT_SECRET.check(r, BASELINE);
  const parameter = (properties: Record<string, unknown>, logicalId?: string) => resource('AWS::SSM::Parameter', { Type: 'String', ...properties }, logicalId);

  test('SKIP: a configuration parameter, and a type that is not plain', () => {
    expect(check(parameter({ Name: '/core/prod/app-host', Value: 'example.gov.uk' }, 'AppHostParameter1A2B3C4D'))).toEqual([]);
    expect(check(parameter({ Name: '/core/prod/db-password', Type: 'SecureString', Value: PASSWORD }))).toEqual([]);
  });

  test.each([
    ['the ARN of a secret, named as a pointer', { Name: '/core/prod/db-secret-arn', Value: { Ref: 'DatabaseSecret' } }, 'DbSecretArnParameter1A2B3C4D'],
    ['a generated name and a non-secret logical id', { Value: 'eu-west-2' }, 'RegionParameterC0FFEE00'],
  ])('PASS: %s', (_label, properties, logicalId) => {
    expect(check(parameter(properties, logicalId))).toEqual([]);
  });

  test.each([
    ['a secret-looking name', { Name: '/core/prod/db-password', Value: PASSWORD }, 'Subject', '/core/prod/db-password', 'Properties.Name'],
    ['an auth parameter name', { Name: '/core/prod/redis/auth', Value: PASSWORD }, 'Subject', '/core/prod/redis/auth', 'Properties.Name'],
    ['a secret-looking logical id (no Name)', { Value: PASSWORD }, 'ApiTokenParameter1A2B3C4D', 'ApiTokenParameter1A2B3C4D', 'Properties.Type'],
    ['a GitHub token under a plain name', { Name: '/core/prod/ci-setting', Value: FAKE.github }, 'Subject', 'a GitHub token', 'Properties.Value'],
    ['a Slack webhook in a StringList', { Name: '/core/prod/alerts', Type: 'StringList', Value: `a,${FAKE.slackWebhook}` }, 'Subject', 'a Slack webhook URL', 'Properties.Value'],
    ['a resolved Secrets Manager secret', { Name: '/core/prod/copy', Value: dynamicReference('DatabaseSecret') }, 'Subject', 'copies it into a plain String parameter', 'Properties.Value'],
  ])('FAIL: %s', (_label, properties, logicalId, named, location) => {
    // GIVEN a plain parameter that holds a secret
    // WHEN
    const violations = check(parameter(properties, logicalId));

    // THEN
    expect(violations).toEqual([{ message: expect.stringContaining(named), location }]);
    for (const secret of [PASSWORD, FAKE.github, FAKE.slackWebhook]) expectNoSecretIn(violations, secret);
  });
});

describe('CORE.SECRET.3 environment variables carry no plaintext credentials', () => {
  const check = (r: RiskResource) => ENVIRONMENT_NO_PLAINTEXT_SECRET.check(r, BASELINE);
  const lambda = (variables: Record<string, unknown>) => resource('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Environment: { Variables: variables } });
  const task = (environment: unknown[], extra: Record<string, unknown> = {}) => resource('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'app', Environment: environment, ...extra }] });

  test('SKIP: a task definition and a function with no environment variables', () => {
    expect(check(resource('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'app', Image: 'core' }] }))).toEqual([]);
    expect(check(resource('AWS::Lambda::Function', { Runtime: 'nodejs24.x' }))).toEqual([]);
  });

  test('PASS: CORE’s app container, whose secrets come through Secrets/ValueFrom', () => {
    // GIVEN plain configuration in Environment and every credential in Secrets
    const core = task(
      [
        { Name: 'RAILS_ENV', Value: 'production' },
        { Name: 'S3_CONFIG', Value: { 'Fn::Join': ['', ['[{"instance_name":"b","credentials":{"aws_region":"eu-west-2","bucket_name":"', { Ref: 'Bucket' }, '"}}]']] } },
      ],
      { Secrets: [{ Name: 'RAILS_MASTER_KEY', ValueFrom: { Ref: 'MasterKey' } }, { Name: 'GOVUK_NOTIFY_API_KEY', ValueFrom: { Ref: 'NotifyKey' } }] },
    );

    // THEN
    expect(check(core)).toEqual([]);
  });

  test.each([
    ['the ARN of a secret under a webhook name (CORE’s Slack alerts)', lambda({ SLACK_WEBHOOK_SECRET_ARN: { Ref: 'SlackWebhook' }, ENVIRONMENT_NAME: 'core-prod' })],
    ['a dynamic reference', lambda({ DB_PASSWORD: dynamicReference('DatabaseSecret') })],
    ['pointers and public keys', lambda({ AWS_ACCESS_KEY_ID: { Ref: 'Key' }, KMS_KEY: 'alias/core', SSH_PUBLIC_KEY: 'ssh-ed25519 AAAA', DB_SECRET_NAME: 'core/db', PASSWORD_MIN_LENGTH: '12' })],
    ['an empty secret-looking variable', lambda({ API_TOKEN: '' })],
    ['a URL whose password is a deploy-time part', lambda({ DATABASE_URL: { 'Fn::Join': ['', ['postgresql://app:', { Ref: 'DbPassword' }, '@db.internal:5432/core']] } })],
    ['a CodeBuild variable read from Secrets Manager', resource('AWS::CodeBuild::Project', { Environment: { EnvironmentVariables: [{ Name: 'GITHUB_TOKEN', Type: 'SECRETS_MANAGER', Value: 'ci/github:token' }] } })],
  ])('PASS: %s', (_label, subject) => {
    expect(check(subject)).toEqual([]);
  });

  test.each([
    ['a Lambda variable', lambda({ LOG_LEVEL: 'info', DB_PASSWORD: PASSWORD }), 'DB_PASSWORD', 'Properties.Environment.Variables.DB_PASSWORD'],
    ['an ECS variable', task([{ Name: 'RAILS_ENV', Value: 'production' }, { Name: 'APP_HOST', Value: 'x' }, { Name: 'API_TOKEN', Value: PASSWORD }]), 'API_TOKEN', 'Properties.ContainerDefinitions[0].Environment[2]'],
    ['an ECS variable named *_KEY', task([{ Name: 'RAILS_MASTER_KEY', Value: PASSWORD }]), 'RAILS_MASTER_KEY', 'Properties.ContainerDefinitions[0].Environment[0]'],
    ['a Batch job variable', resource('AWS::Batch::JobDefinition', { Type: 'container', ContainerProperties: { Environment: [{ Name: 'dbPassword', Value: PASSWORD }] } }), 'dbPassword', 'Properties.ContainerProperties.Environment[0]'],
    [
      'a CodeBuild PLAINTEXT variable',
      resource('AWS::CodeBuild::Project', { Environment: { EnvironmentVariables: [{ Name: 'NPM_TOKEN', Type: 'PLAINTEXT', Value: PASSWORD }] } }),
      'NPM_TOKEN',
      'Properties.Environment.EnvironmentVariables[0]',
    ],
    [
      'an App Runner variable',
      resource('AWS::AppRunner::Service', { SourceConfiguration: { ImageRepository: { ImageConfiguration: { RuntimeEnvironmentVariables: [{ Name: 'CLIENT_SECRET', Value: PASSWORD }] } } } }),
      'CLIENT_SECRET',
      'Properties.SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables[0]',
    ],
    ['a webhook URL', lambda({ SLACK_WEBHOOK_URL: 'https://example.com/hook/abc' }), 'SLACK_WEBHOOK_URL', 'Properties.Environment.Variables.SLACK_WEBHOOK_URL'],
    ['a literal behind Fn::If', lambda({ API_KEY: { 'Fn::If': ['IsProd', { Ref: 'Key' }, PASSWORD] } }), 'API_KEY', 'Properties.Environment.Variables.API_KEY'],
  ])('FAIL: a secret-looking name with a literal value in %s', (_label, subject, name, location) => {
    // GIVEN a plain variable named like a credential
    // WHEN
    const violations = check(subject);

    // THEN the variable is named, its location given, and the value not printed
    expect(violations).toEqual([{ message: expect.stringMatching(new RegExp(`environment variable ${name} has a secret-looking name`)), location }]);
    expectNoSecretIn(violations, PASSWORD);
  });

  test.each(Object.entries(FAKE).map(([format, value]) => [format, value] as const))('FAIL: a %s under a harmless name, in Lambda and ECS', (_format, value) => {
    // GIVEN a well-known credential format, whatever the variable is called
    // WHEN
    const inLambda = check(lambda({ SETTING: value }));
    const inTask = check(task([{ Name: 'SETTING', Value: value }]));

    // THEN
    expect(inLambda).toEqual([{ message: expect.stringContaining('environment variable SETTING holds'), location: 'Properties.Environment.Variables.SETTING' }]);
    expect(inTask).toEqual([{ message: expect.stringContaining('environment variable SETTING holds'), location: 'Properties.ContainerDefinitions[0].Environment[0]' }]);
    expectNoSecretIn([...inLambda, ...inTask], value);
  });

  test('FAIL: variables given as an intrinsic function cannot be checked', () => {
    const hidden = resource('AWS::Lambda::Function', { Environment: { Variables: { 'Fn::FindInMap': ['Env', 'prod', 'Variables'] } } });
    expect(check(hidden)).toEqual([{ message: expect.stringContaining('cannot be checked'), location: 'Properties.Environment.Variables' }]);
  });
});

describe('credential patterns shared by CORE.SECRET.2 and .3', () => {
  test.each([
    ['DB_PASSWORD', true],
    ['dbPassword', true],
    ['SECRET_KEY_BASE', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['OS_DATA_KEY', true],
    ['ID_TOKEN', true],
    ['SENTRY_DSN', true],
    ['SLACK_WEBHOOK_URL', true],
    ['SLACK_WEBHOOK_SECRET_ARN', false],
    ['AWS_ACCESS_KEY_ID', false],
    ['STRIPE_PUBLISHABLE_KEY', false],
    ['RAILS_ENV', false],
    ['AUTH_MODE', false],
  ])('name %s looks secret: %s', (name, expected) => {
    expect(isSecretLookingName(name)).toBe(expected);
  });

  test('AUTH marks parameter names only', () => {
    expect(isSecretLookingName('/core/redis/auth', true)).toBe(true);
    expect(isSecretLookingName('/core/redis/auth')).toBe(false);
  });

  test('previews never show more than four characters, nor a quarter of a short value', () => {
    expect(preview(PASSWORD)).toBe('hunt…');
    expect(preview('hunter2')).toBe('h…');
    expect(findCredential(`x ${FAKE.github}`)).toEqual({ label: 'a GitHub token', preview: 'ghp_…' });
  });
});

describe('secrets family', () => {
  test.each(SECRET_RISK_RULES.map((rule) => [rule.id, rule] as const))('GIVEN the failing fixture of %s WHEN checked in either profile THEN it fails its rule', (id, rule) => {
    const fixture = FAILING_RESOURCES[id];
    const subject = resource(fixture.Type, fixture.Properties);
    expect(rule.resourceTypes).toContain(fixture.Type);
    expect(rule.check(subject, BASELINE)).not.toEqual([]);
    expect(rule.check(subject, PRODUCTION)).not.toEqual([]);
  });

  test.each(SECRET_RISK_RULES.map((rule) => [rule.id, rule] as const))('%s lives in the file its metadata names', (_id, rule) => {
    const name = rule.ruleName.toLowerCase().replace(/_/g, '-');
    expect(rule.file).toBe(`engine:risk/secrets/${name}`);
    expect(existsSync(path.join(__dirname, '../../src/risks/rules/secrets', `${name}.ts`))).toBe(true);
  });
});
