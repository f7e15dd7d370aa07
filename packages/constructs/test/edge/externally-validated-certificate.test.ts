import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { ExternallyValidatedCertificate } from '../../src/edge/externally-validated-certificate';
import { EncryptionKey } from '../../src/security/encryption-key';

describe('ExternallyValidatedCertificate', () => {
  describe('GIVEN a domain name and one alternative name', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      new ExternallyValidatedCertificate(stack, 'Certificate', {
        domainName: 'lb.submit-social-housing-data.communities.gov.uk',
        subjectAlternativeNames: ['submit-social-housing-data.communities.gov.uk'],
      });
      template = Template.fromStack(stack);
    });

    test('THEN the certificate is DNS-validated with no hosted zone, because the records live outside AWS', () => {
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'lb.submit-social-housing-data.communities.gov.uk',
        SubjectAlternativeNames: ['submit-social-housing-data.communities.gov.uk'],
        ValidationMethod: 'DNS',
        DomainValidationOptions: Match.absent(),
      });
    });

    test('THEN the name, type and value of each validation record are stack outputs read from ACM', () => {
      const outputs = template.findOutputs('*');
      for (const index of [0, 1]) {
        for (const field of ['Name', 'Type', 'Value']) {
          const [id] = Object.keys(outputs).filter((key) => key.startsWith(`CertificateValidationRecord${index}${field}`));
          expect(outputs[id].Value).toEqual({
            'Fn::GetAtt': [expect.stringMatching(/^CertificateValidationRecords/), `Certificate.DomainValidationOptions.${index}.ResourceRecord.${field}`],
          });
        }
      }
      template.hasOutput('*', { Value: { Ref: Match.stringLikeRegexp('^Certificate[0-9A-F]{8}$') } });
    });

    test('THEN the record reader may only describe this certificate and write its own encrypted log group', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: 'acm:DescribeCertificate', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Certificate[0-9A-F]{8}$') } }] },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CertificateKey'), 'Arn'] }, RetentionInDays: 365 });
      const roles = template.findResources('AWS::IAM::Role');
      for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });
  });

  describe('GIVEN the outputs turned off', () => {
    test('THEN only the certificate and its ARN output exist', () => {
      const stack = createTestStack();
      new ExternallyValidatedCertificate(stack, 'Certificate', { domainName: 'lb.example.gov.uk', validationRecordOutputs: false });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Lambda::Function', 0);
      expect(Object.keys(template.findOutputs('*'))).toEqual([expect.stringMatching(/^CertificateCertificateArn/)]);
    });
  });

  describe('GIVEN wrong props', () => {
    test('fails when a name is not a lower-case host name', () => {
      const stack = createTestStack();
      expect(() => new ExternallyValidatedCertificate(stack, 'Certificate', { domainName: 'LB.Example.gov.uk' })).toThrow(/certificate domain names must be lower-case fully qualified names, got "LB.Example.gov.uk"/);
    });

    test('fails when an alternative name repeats the domain name', () => {
      const stack = createTestStack();
      expect(() => new ExternallyValidatedCertificate(stack, 'Certificate', { domainName: 'lb.example.gov.uk', subjectAlternativeNames: ['lb.example.gov.uk'] })).toThrow(/repeats a name/);
    });

    test('fails when a key is given with the outputs turned off', () => {
      const stack = createTestStack();
      const encryptionKey = new EncryptionKey(stack, 'Key', { description: 'test' });
      expect(() => new ExternallyValidatedCertificate(stack, 'Certificate', { domainName: 'lb.example.gov.uk', validationRecordOutputs: false, encryptionKey })).toThrow(
        /encryptionKey is given but validationRecordOutputs is false/,
      );
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new ExternallyValidatedCertificate(stack, 'Certificate', { domainName: 'lb.submit-social-housing-data.communities.gov.uk' });
    expectToPassPolicies(stack);
  });
});
