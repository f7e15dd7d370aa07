import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { EncryptionKey } from '@core-infra/constructs';
import { Construct } from 'constructs';

/** Secrets every CORE environment holds; values are filled in by hand after the first deploy. */
export const APP_SECRET_NAMES = ['GOVUK_NOTIFY_API_KEY', 'OPENAI_API_KEY', 'OS_DATA_KEY', 'RAILS_MASTER_KEY', 'REVIEW_APP_USER_PASSWORD', 'SENTRY_DSN'] as const;

/** Secrets only environments that run performance tests hold. */
export const PERFORMANCE_TEST_SECRET_NAMES = ['STAGING_PERFORMANCE_TEST_EMAIL', 'STAGING_PERFORMANCE_TEST_PASSWORD'] as const;

/** Props of {@link AppSecrets}. */
export interface AppSecretsProps {
  /** Resource-name prefix, e.g. `core-prod`. */
  readonly prefix: string;
  /** Whether to hold the performance-test secrets too. */
  readonly performanceTestSecrets: boolean;
}

/**
 * The application's Secrets Manager secrets under their own rotating key. Secret names are
 * `<prefix>/app/<NAME>`, so review apps in another stage find them by name.
 */
export class AppSecrets extends Construct {
  /** The key that encrypts the secrets. */
  public readonly encryptionKey: EncryptionKey;
  /** The secrets by environment variable name. */
  public readonly secrets: Readonly<Record<string, secretsmanager.ISecret>>;

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    this.encryptionKey = new EncryptionKey(this, 'Key', { description: `${props.prefix} application secrets`, alias: `${props.prefix}-app-secrets` });
    const names = [...APP_SECRET_NAMES, ...(props.performanceTestSecrets ? PERFORMANCE_TEST_SECRET_NAMES : [])];
    const secrets: Record<string, secretsmanager.ISecret> = {};
    for (const name of names) {
      secrets[name] = new secretsmanager.Secret(this, name, {
        secretName: appSecretName(props.prefix, name),
        description: `${name} of the CORE application; set its value by hand after the first deploy`,
        encryptionKey: this.encryptionKey.key,
        // Hand-entered values exist nowhere else.
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    this.secrets = secrets;
  }
}

/** Name of an application secret, e.g. `core-prod/app/SENTRY_DSN`. */
export function appSecretName(prefix: string, name: string): string {
  return `${prefix}/app/${name}`;
}
