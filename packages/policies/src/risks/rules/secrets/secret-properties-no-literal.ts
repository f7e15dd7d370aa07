import type { RiskRule, RiskViolation } from '../../risk-rule';
import { DEPLOY_TIME, renderString } from '../../values';
import { findCredential, isSecretLookingName } from './credential-patterns';
import { maskDynamicReferences, plaintextProblem, valuesAt } from './property-values';

/**
 * The properties that hold a password, token or secret, by resource type (`[]` steps into each item
 * of a list). Neptune is absent: it has no password property, only IAM authentication.
 */
export const SECRET_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::RDS::DBInstance': ['MasterUserPassword', 'TdeCredentialPassword'],
  'AWS::RDS::DBCluster': ['MasterUserPassword'],
  'AWS::DocDB::DBCluster': ['MasterUserPassword'],
  'AWS::DocDBElastic::Cluster': ['AdminUserPassword'],
  'AWS::Redshift::Cluster': ['MasterUserPassword'],
  'AWS::RedshiftServerless::Namespace': ['AdminUserPassword'],
  'AWS::Lightsail::Database': ['MasterUserPassword'],
  'AWS::ElastiCache::ReplicationGroup': ['AuthToken'],
  'AWS::ElastiCache::User': ['Passwords[]', 'AuthenticationMode.Passwords[]'],
  'AWS::MemoryDB::User': ['AuthenticationMode.Passwords[]'],
  'AWS::AmazonMQ::Broker': ['Users[].Password'],
  'AWS::OpenSearchService::Domain': ['AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword'],
  'AWS::Elasticsearch::Domain': ['AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword'],
  'AWS::DMS::Endpoint': [
    'Password',
    'MongoDbSettings.Password',
    'MicrosoftSqlServerSettings.Password',
    'GcpMySQLSettings.Password',
    'RedisSettings.AuthPassword',
    'OracleSettings.AsmPassword',
    'KafkaSettings.SaslPassword',
    'KafkaSettings.SslClientKeyPassword',
  ],
  'AWS::DirectoryService::MicrosoftAD': ['Password'],
  'AWS::DirectoryService::SimpleAD': ['Password'],
  'AWS::IAM::User': ['LoginProfile.Password'],
  'AWS::CodeBuild::SourceCredential': ['Token'],
  'AWS::Amplify::App': ['AccessToken', 'OauthToken', 'BasicAuthConfig.Password', 'AutoBranchCreationConfig.BasicAuthConfig.Password'],
  'AWS::Amplify::Branch': ['BasicAuthConfig.Password'],
  'AWS::CodePipeline::Webhook': ['AuthenticationConfiguration.SecretToken'],
  // GitHub (version 1) source actions take the OAuth token in the free-form action configuration.
  'AWS::CodePipeline::Pipeline': ['Stages[].Actions[].Configuration.OAuthToken'],
  'AWS::SecretsManager::Secret': ['SecretString'],
};

/** CORE.SECRET.1: passwords, tokens and secret strings are references to a secret, never literals. */
export const SECRET_PROPERTIES_NO_LITERAL: RiskRule = {
  id: 'CORE.SECRET.1',
  ruleName: 'SECRET_PROPERTIES_NO_LITERAL',
  file: 'engine:risk/secrets/secret-properties-no-literal',
  title: 'Passwords, tokens and secret strings hold no literal value',
  severity: 'critical',
  description:
    'Every property that carries a credential — database master passwords (RDS, Aurora, DocumentDB, Redshift), ' +
    'ElastiCache and MemoryDB AUTH tokens and user passwords, Amazon MQ and OpenSearch users, DMS endpoint and ' +
    'directory passwords, IAM console passwords, CodeBuild, CodePipeline and Amplify tokens, and a Secrets Manager ' +
    'SecretString — is a {{resolve:secretsmanager:…}} dynamic reference or a Ref/GetAtt with no literal text. A ' +
    'literal (also one in Mappings or behind Fn::If) is stored in clear text in the template, the CDK output, the ' +
    'CloudFormation console and git history, where anyone who can read them can use it. A SecretString may join ' +
    'dynamic references with plain connection details (host, port, database name), as the DATABASE_URL secret does.',
  remediation:
    'Let the service or CDK generate the credential: credentials: rds.Credentials.fromGeneratedSecret(…) or ' +
    'manageMasterUserPassword, a secretsmanager.Secret with generateSecretString, and pass it as ' +
    'secret.secretValue / secret.secretValueFromJson(…) so the template holds only a dynamic reference. Build a ' +
    'connection-string secret from secret.secretValueFromJson(…) parts, and rotate any credential that was committed.',
  resourceTypes: Object.keys(SECRET_PROPERTIES),
  nistControls: ['IA-5', 'IA-5(7)', 'SC-28'],
  profile: 'baseline',
  check: (resource) => {
    const violations: RiskViolation[] = [];
    for (const path of SECRET_PROPERTIES[resource.type] ?? []) {
      for (const { value, location, unreadable } of valuesAt(resource.properties, path)) {
        const property = location.replace(/^Properties\./, '');
        if (unreadable) {
          violations.push({ message: `${property} is built with ${unreadable}, so its ${path.split('.').pop()} values cannot be checked for literals`, location });
          continue;
        }
        const problem = path === 'SecretString' ? secretStringProblem(value) : plaintextProblem(value);
        if (problem) violations.push({ message: `${property} ${problem}`, location });
      }
    }
    return violations;
  },
};

/**
 * A secret string may be a template around dynamic references (a connection URL, a JSON config);
 * its literal parts must then carry no credential of their own.
 */
function secretStringProblem(value: unknown): string | undefined {
  const text = renderString(value);
  if (text === undefined || !text.includes('{{resolve:')) return plaintextProblem(value);
  const masked = maskDynamicReferences(text);
  const credential = findCredential(masked);
  if (credential) return `holds ${credential.label} (${credential.preview}) beside its dynamic references`;
  const key = secretKeyWithLiteral(masked);
  return key === undefined ? undefined : `sets ${key} to literal text beside its dynamic references`;
}

// `"password": "…"` in JSON or `password=…` in a URL query, with literal text as the value.
function secretKeyWithLiteral(text: string): string | undefined {
  for (const match of text.matchAll(/"([^"]+)"\s*:\s*"([^"]*)"|[?&;]([A-Za-z_]+)=([^&;#\s]*)/g)) {
    const key = match[1] ?? match[3];
    const literal = (match[2] ?? match[4]).split(DEPLOY_TIME).join('').trim();
    if (literal !== '' && isSecretLookingName(key)) return key;
  }
  return undefined;
}
