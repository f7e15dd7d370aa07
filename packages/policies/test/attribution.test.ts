// Cross-resource rules relate two resources (a bucket and its policy, a VPC and its flow log, a
// web ACL and its logging configuration, a listener and its load balancer's security group).
// Their findings must name the resource that lacks the control, never the compliant resources
// it was compared with: a finding on a good construct sends its owner to "fix" the wrong code.
// Each test synthesizes a real CDK app with compliant and non-compliant resources side by side.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { IConstruct } from 'constructs';
import { coreAppContext, CorePoliciesPlugin } from '../src';
import { evaluateTemplates, loadTemplateFile } from '../src/engine/evaluate';
import type { Finding } from '../src/engine/finding';

const LEGACY_PAIR_RULE = path.join(__dirname, 'fixtures', 'attribution', 'bucket_policy_pair_legacy.guard');
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000000';

interface Synthesized {
  readonly stack: Stack;
  /** Findings of the baseline profile's CORE rules on the stack's template. */
  readonly findings: readonly Finding[];
}

function synthAndEvaluate(build: (stack: Stack) => void, extraRuleFiles: readonly string[] = []): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attribution-test-'));
  const app = new App({ outdir, context: coreAppContext() });
  const stack = new Stack(app, 'Subject', { env: { account: '123456789012', region: 'eu-west-2' } });
  build(stack);
  const assembly = app.synth();
  const template = loadTemplateFile(path.join(assembly.directory, stack.templateFile));
  const evaluation = evaluateTemplates([template], {
    profile: 'baseline',
    controlTowerRules: false,
    coreRules: extraRuleFiles.length === 0,
    extraRuleFiles,
  });
  return { stack, findings: evaluation.findings };
}

const logicalIdOf = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

const findingsOf = (findings: readonly Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

const webAcl = (stack: Stack, id: string) =>
  new wafv2.CfnWebACL(stack, id, {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: id, sampledRequestsEnabled: true },
  });

describe('cross-resource findings name the resource that lacks the control', () => {
  test('CORE.S3.2 names the plain bucket, not the policies of the two enforceSSL buckets', () => {
    // GIVEN two TLS-only buckets and one plain bucket
    let plain!: s3.Bucket;
    const { findings } = synthAndEvaluate((stack) => {
      new s3.Bucket(stack, 'Uploads', { enforceSSL: true });
      new s3.Bucket(stack, 'Exports', { enforceSSL: true });
      plain = new s3.Bucket(stack, 'Plain');
    });
    // THEN only the plain bucket is reported, as a bucket, and the message names the policy type
    const s3Findings = findingsOf(findings, 'CORE.S3.2');
    expect(s3Findings.map((f) => f.logicalId)).toEqual([logicalIdOf(plain)]);
    expect(s3Findings[0]).toMatchObject({ resourceType: 'AWS::S3::Bucket', locations: [] });
    expect(s3Findings[0].message).toMatch(/no AWS::S3::BucketPolicy/);
  });

  test('CORE.S3.2 names the bucket whose own policy does not deny plaintext requests', () => {
    // GIVEN a TLS-only bucket and a bucket whose policy only grants access
    let allowOnly!: s3.Bucket;
    const { findings } = synthAndEvaluate((stack) => {
      new s3.Bucket(stack, 'Uploads', { enforceSSL: true });
      allowOnly = new s3.Bucket(stack, 'AllowOnly');
      allowOnly.addToResourcePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          principals: [new iam.AccountRootPrincipal()],
          resources: [allowOnly.arnForObjects('*')],
        }),
      );
    });
    // THEN the bucket is reported (not its policy), and the message says its policy is the gap
    const s3Findings = findingsOf(findings, 'CORE.S3.2');
    expect(s3Findings.map((f) => [f.logicalId, f.resourceType])).toEqual([[logicalIdOf(allowOnly), 'AWS::S3::Bucket']]);
    expect(s3Findings[0].message).toMatch(/its AWS::S3::BucketPolicy does not deny aws:SecureTransport false/);
  });

  test('the CDK plugin points at the plain bucket construct', () => {
    // GIVEN the same app, synthesized with the plugin as a consumer would
    const outdir = mkdtempSync(path.join(tmpdir(), 'attribution-plugin-'));
    const app = new App({ outdir, context: coreAppContext() });
    Validations.of(app).addPlugins(new CorePoliciesPlugin({ controlTowerRules: false }));
    const stack = new Stack(app, 'Subject', { env: { account: '123456789012', region: 'eu-west-2' } });
    new s3.Bucket(stack, 'Uploads', { enforceSSL: true });
    new s3.Bucket(stack, 'Exports', { enforceSSL: true });
    new s3.Bucket(stack, 'Plain');
    // WHEN synthesized (the other baseline rules fail these minimal buckets too)
    expect(() => app.synth()).toThrow(/core-policies/);
    // THEN the CORE.S3.2 violation names the plain bucket's construct and nothing else
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    const violations = report.pluginReports.find((r) => r.pluginName === 'core-policies')?.violations ?? [];
    const paths = violations.filter((v) => v.ruleName === 'CORE.S3.2').flatMap((v) => v.violatingConstructs.map((c) => c.constructPath));
    expect(paths).toEqual(['Subject/Plain/Resource']);
  });

  test('CORE.EC2.2 names the VPC without a flow log, not the other VPC or its flow log', () => {
    // GIVEN two VPCs, one with a flow log
    let unlogged!: ec2.Vpc;
    const { findings } = synthAndEvaluate((stack) => {
      new ec2.Vpc(stack, 'Logged', { maxAzs: 1, natGateways: 0, flowLogs: { all: {} } });
      unlogged = new ec2.Vpc(stack, 'Unlogged', { maxAzs: 1, natGateways: 0 });
    });
    // THEN
    const vpcFindings = findingsOf(findings, 'CORE.EC2.2');
    expect(vpcFindings.map((f) => [f.logicalId, f.resourceType])).toEqual([[logicalIdOf(unlogged), 'AWS::EC2::VPC']]);
    expect(vpcFindings[0].message).toMatch(/AWS::EC2::FlowLog/);
  });

  test('CORE.EC2.3 names the VPC whose default security group is not restricted', () => {
    // GIVEN two VPCs, one restricting its default security group
    let open!: ec2.Vpc;
    const { findings } = synthAndEvaluate((stack) => {
      new ec2.Vpc(stack, 'Restricted', { maxAzs: 1, natGateways: 0, restrictDefaultSecurityGroup: true });
      open = new ec2.Vpc(stack, 'Open', { maxAzs: 1, natGateways: 0, restrictDefaultSecurityGroup: false });
    });
    // THEN
    const groupFindings = findingsOf(findings, 'CORE.EC2.3');
    expect(groupFindings.map((f) => [f.logicalId, f.resourceType])).toEqual([[logicalIdOf(open), 'AWS::EC2::VPC']]);
    expect(groupFindings[0].message).toMatch(/Custom::VpcRestrictDefaultSG/);
  });

  test('CORE.WAF.3 names the unlogged web ACL and the one whose logging has no destination, not the logged one', () => {
    // GIVEN a logged web ACL, an unlogged one and one whose logging configuration names no destination
    const { findings } = synthAndEvaluate((stack) => {
      const logged = webAcl(stack, 'LoggedAcl');
      new wafv2.CfnLoggingConfiguration(stack, 'LoggedAclLogging', {
        resourceArn: logged.attrArn,
        logDestinationConfigs: ['arn:aws:logs:eu-west-2:123456789012:log-group:aws-waf-logs-core'],
      });
      webAcl(stack, 'UnloggedAcl');
      const nowhere = webAcl(stack, 'NowhereAcl');
      new wafv2.CfnLoggingConfiguration(stack, 'NowhereAclLogging', { resourceArn: nowhere.attrArn, logDestinationConfigs: [] });
    });
    // THEN each finding is on its web ACL, with a message naming the logging configuration
    const wafFindings = findingsOf(findings, 'CORE.WAF.3');
    expect(wafFindings.map((f) => [f.logicalId, f.resourceType, f.message])).toEqual([
      ['NowhereAcl', 'AWS::WAFv2::WebACL', expect.stringMatching(/its AWS::WAFv2::LoggingConfiguration names no log destination/)],
      ['UnloggedAcl', 'AWS::WAFv2::WebACL', expect.stringMatching(/no AWS::WAFv2::LoggingConfiguration/)],
    ]);
  });

  test('CORE.ELB.1 and CORE.ELB.2 name the listener at fault, not its load balancer or the compliant listeners', () => {
    // GIVEN an ALB with a compliant and a weak HTTPS listener, an HTTPS redirect and a forwarding HTTP listener
    const listeners: Record<string, elbv2.ApplicationListener> = {};
    const { findings } = synthAndEvaluate((stack) => {
      const vpc = new ec2.Vpc(stack, 'Network', { maxAzs: 2, natGateways: 0 });
      const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
      const certificates = [elbv2.ListenerCertificate.fromArn(CERTIFICATE_ARN)];
      const defaultAction = elbv2.ListenerAction.fixedResponse(404);
      listeners.tls13 = alb.addListener('Tls13', { port: 443, certificates, sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction });
      listeners.tlsExt = alb.addListener('TlsExt', { port: 8443, certificates, sslPolicy: elbv2.SslPolicy.TLS12_EXT, defaultAction });
      listeners.redirect = alb.addRedirect({ sourcePort: 80, targetPort: 443 });
      listeners.plain = alb.addListener('Plain', { port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction });
    });
    // THEN
    expect(findingsOf(findings, 'CORE.ELB.1').map((f) => [f.logicalId, f.resourceType, f.locations])).toEqual([
      [logicalIdOf(listeners.tlsExt), 'AWS::ElasticLoadBalancingV2::Listener', ['Properties.SslPolicy']],
    ]);
    expect(findingsOf(findings, 'CORE.ELB.2').map((f) => [f.logicalId, f.resourceType])).toEqual([
      [logicalIdOf(listeners.plain), 'AWS::ElasticLoadBalancingV2::Listener'],
    ]);
  });

  test("CORE.EC2.1 names the standalone ingress on the app's group, not the load balancer's group", () => {
    // GIVEN HTTPS from anywhere as standalone ingress resources on a load balancer group and on an app group
    let appIngress!: ec2.CfnSecurityGroupIngress;
    const { findings } = synthAndEvaluate((stack) => {
      const vpc = new ec2.Vpc(stack, 'Network', { maxAzs: 1, natGateways: 0 });
      const lbGroup = new ec2.SecurityGroup(stack, 'LoadBalancerGroup', { vpc, description: 'Load balancer', allowAllOutbound: false });
      const appGroup = new ec2.SecurityGroup(stack, 'AppGroup', { vpc, description: 'App tasks', allowAllOutbound: false });
      const https = { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' };
      new ec2.CfnSecurityGroupIngress(stack, 'LoadBalancerHttps', { ...https, groupId: lbGroup.securityGroupId });
      appIngress = new ec2.CfnSecurityGroupIngress(stack, 'AppHttps', { ...https, groupId: appGroup.securityGroupId });
    });
    // THEN
    expect(findingsOf(findings, 'CORE.EC2.1').map((f) => [f.logicalId, f.resourceType])).toEqual([
      [Stack.of(appIngress).getLogicalId(appIngress), 'AWS::EC2::SecurityGroupIngress'],
    ]);
  });
});

describe('the parser attributes a comparison to its left-hand side', () => {
  test('a rule comparing captured logical ids with other resources names the bucket, not the policies', () => {
    // GIVEN a rule in the old cross-resource shape (%bucket_ids in %policy_refs)
    let plain!: s3.Bucket;
    const { findings } = synthAndEvaluate((stack) => {
      new s3.Bucket(stack, 'Uploads', { enforceSSL: true });
      new s3.Bucket(stack, 'Exports', { enforceSSL: true });
      plain = new s3.Bucket(stack, 'Plain');
    }, [LEGACY_PAIR_RULE]);
    // THEN the finding is on the bucket whose id was on the left, not on the policies on the right
    expect(findingsOf(findings, 'FIXTURE.PAIR.1').map((f) => [f.logicalId, f.resourceType])).toEqual([
      [logicalIdOf(plain), 'AWS::S3::Bucket'],
    ]);
  });
});
