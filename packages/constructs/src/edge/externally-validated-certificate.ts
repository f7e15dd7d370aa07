import { CfnOutput, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { propsError } from '../shared/errors';

/** Props for {@link ExternallyValidatedCertificate}. */
export interface ExternallyValidatedCertificateProps {
  /** Fully qualified domain name of the certificate, e.g. `lb.submit-social-housing-data.communities.gov.uk`. */
  readonly domainName: string;

  /**
   * Further names the certificate covers.
   *
   * @default - none
   */
  readonly subjectAlternativeNames?: readonly string[];

  /**
   * Publish the DNS validation records (name, type and value per domain) as stack outputs,
   * read from ACM by a custom resource once the certificate exists. The records must stay in
   * DNS for ACM to renew the certificate, so the outputs are the lasting reference to them.
   *
   * @default true
   */
  readonly validationRecordOutputs?: boolean;

  /**
   * Key that encrypts the log group of the custom resource reading the records.
   *
   * @default - a new key with yearly rotation, when {@link validationRecordOutputs} is on
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * What happens to the log group (and the key this construct creates) when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An ACM certificate validated through DNS records that are managed outside AWS (CORE's
 * domain belongs to MHCLG's DNS).
 *
 * On the first deployment CloudFormation waits until the validation CNAMEs exist, showing
 * each record in the stack events; afterwards the records are also stack outputs
 * (`<id>ValidationRecord<n>Name`, `...Type`, `...Value`) and the certificate ARN is output
 * too. ACM renews the certificate automatically while the records remain.
 */
export class ExternallyValidatedCertificate extends Construct {
  /** The certificate. */
  public readonly certificate: acm.Certificate;

  /** ARN of the certificate. */
  public readonly certificateArn: string;

  /** Every name the certificate covers, the domain name first. */
  public readonly domainNames: readonly string[];

  constructor(scope: Construct, id: string, props: ExternallyValidatedCertificateProps) {
    super(scope, id);

    this.domainNames = [props.domainName, ...(props.subjectAlternativeNames ?? [])];
    for (const name of this.domainNames) {
      if (!Token.isUnresolved(name) && !/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(name)) {
        throw propsError(this, `certificate domain names must be lower-case fully qualified names, got "${name}": use e.g. "lb.submit-social-housing-data.communities.gov.uk"`);
      }
    }
    if (new Set(this.domainNames).size !== this.domainNames.length) {
      throw propsError(this, `subjectAlternativeNames repeats a name (${this.domainNames.join(', ')}): list each name once`);
    }
    const validationRecordOutputs = props.validationRecordOutputs ?? true;
    if (!validationRecordOutputs && props.encryptionKey !== undefined) {
      throw propsError(this, 'encryptionKey is given but validationRecordOutputs is false: the key only encrypts the record reader\'s logs; remove encryptionKey or turn the outputs on');
    }

    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames === undefined ? undefined : [...props.subjectAlternativeNames],
      validation: acm.CertificateValidation.fromDns(),
    });
    this.certificateArn = this.certificate.certificateArn;
    new CfnOutput(this, 'CertificateArn', { value: this.certificateArn, description: `ARN of the certificate for ${props.domainName}` });

    if (validationRecordOutputs) {
      this.addValidationRecordOutputs(props.encryptionKey, props.removalPolicy ?? RemovalPolicy.RETAIN);
    }
  }

  private addValidationRecordOutputs(givenKey: EncryptionKey | undefined, removalPolicy: RemovalPolicy): void {
    const encryptionKey = givenKey ?? new EncryptionKey(this, 'Key', { description: 'Encrypts the logs of the certificate validation-record reader', removalPolicy });
    encryptionKey.allowCloudWatchLogs();
    const logGroup = new logs.LogGroup(this, 'RecordReaderLogs', {
      encryptionKey: encryptionKey.key,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    // An own role instead of the provider default, which would carry the managed
    // AWSLambdaBasicExecutionRole policy.
    const role = new iam.Role(this, 'RecordReaderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads the DNS validation records of an ACM certificate',
    });
    logGroup.grantWrite(role);

    const fields = ['Name', 'Type', 'Value'] as const;
    const outputPaths = this.domainNames.flatMap((_, index) => fields.map((field) => `Certificate.DomainValidationOptions.${index}.ResourceRecord.${field}`));
    const reader = new cr.AwsCustomResource(this, 'ValidationRecords', {
      onUpdate: {
        service: 'ACM',
        action: 'describeCertificate',
        parameters: { CertificateArn: this.certificateArn },
        physicalResourceId: cr.PhysicalResourceId.of(this.certificateArn),
        outputPaths,
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [this.certificateArn] }),
      role,
      logGroup,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    this.domainNames.forEach((domainName, index) => {
      for (const field of fields) {
        new CfnOutput(this, `ValidationRecord${index}${field}`, {
          value: reader.getResponseField(`Certificate.DomainValidationOptions.${index}.ResourceRecord.${field}`),
          description: `DNS validation record ${field.toLowerCase()} for ${domainName}; keep it in DNS so ACM can renew the certificate`,
        });
      }
    });
  }
}
