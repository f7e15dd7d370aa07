import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { listAssemblyStacks, MIN_ACKNOWLEDGEMENT_REASON_LENGTH, PLUGIN_RUN_FILE, type PluginRunRecord, type PolicyProfile } from '@core-infra/policies';
import type { IConstruct } from 'constructs';
import { normalizeTemplate } from './snapshot-serializer';
import { policyProblems, rootApp, synthesizeWithPolicies, type PolicySynthesis } from './synth';

/** One stack of a synthesized app, as its cloud assembly records it. */
export interface SynthesizedStack {
  /** Stage path and stack id, e.g. `core-staging/data`: how tests name a stack. */
  readonly displayName: string;
  /** Artifact id in the assembly, e.g. `corestagingdata63565CB6`. */
  readonly artifactId: string;
  /** CloudFormation stack name, e.g. `core-staging-data`. */
  readonly stackName: string;
  /** Account and region the stack deploys to, e.g. `aws://100000000001/eu-west-1`. */
  readonly environment?: string;
  /** Whether the assembly asks CloudFormation to refuse deleting the stack. */
  readonly terminationProtection: boolean;
  /** Template path relative to the assembly folder, as the policy plugin records it. */
  readonly relativeTemplatePath: string;
  /** The template as synthesized. */
  readonly template: Record<string, unknown>;
  /** The template wrapped for `hasResourceProperties`, `resourceCountIs` and `findResources`. */
  readonly assertions: Template;
}

/**
 * A whole app (nested stages included) synthesized once through the CORE policies, with its
 * stacks looked up by display name. Build it in `beforeAll` and share it between the tests of a
 * file: synthesizing an environment takes seconds.
 */
export class SynthesizedApp {
  /** Synthesizes the app holding `scope` (see {@link synthesizeWithPolicies}). */
  public static of(scope: IConstruct): SynthesizedApp {
    return new SynthesizedApp(scope);
  }

  /** Templates, open findings and acknowledgements of the synthesis. */
  public readonly synthesis: PolicySynthesis;
  /** Every stack, in assembly order. */
  public readonly stacks: readonly SynthesizedStack[];
  /** What the CORE policy plugin recorded about its run, when it ran at all. */
  public readonly policyRun?: PluginRunRecord;
  private readonly scope: IConstruct;

  private constructor(scope: IConstruct) {
    this.scope = scope;
    const app = rootApp(scope);
    this.synthesis = synthesizeWithPolicies(app);
    this.stacks = listAssemblyStacks(app.outdir).map((stack) => {
      const template = this.synthesis.templates[stack.artifactId] as Record<string, unknown>;
      return {
        displayName: stack.displayName,
        artifactId: stack.artifactId,
        stackName: stack.stackName,
        environment: stack.environment,
        terminationProtection: stack.terminationProtection,
        relativeTemplatePath: stack.relativeTemplatePath,
        template,
        assertions: Template.fromJSON(template),
      };
    });
    const runFile = path.join(app.outdir, PLUGIN_RUN_FILE);
    if (existsSync(runFile)) this.policyRun = JSON.parse(readFileSync(runFile, 'utf8')) as PluginRunRecord;
  }

  /**
   * The stack with this display name.
   *
   * @param displayName e.g. `core-staging/data`
   * @throws Error naming the stacks there are, when there is no such stack
   */
  public stack(displayName: string): SynthesizedStack {
    const found = this.stacks.find((s) => s.displayName === displayName);
    if (!found) throw new Error(`no stack ${displayName} in the app; it has ${this.stacks.map((s) => s.displayName).join(', ')}`);
    return found;
  }

  /** Open findings and plugin failures, one line each with the resource and fix (empty when the app passes). */
  public openFindings(): string[] {
    return policyProblems(this.scope, { allowAcknowledgements: true });
  }

  /**
   * Acknowledged findings whose reason is shorter than the policy plugin's minimum, one line each:
   * an acknowledgement has to tell the next reader why the finding is acceptable.
   */
  public unexplainedAcknowledgements(): string[] {
    return this.synthesis.acknowledged
      .filter((a) => a.reason.trim().length < MIN_ACKNOWLEDGEMENT_REASON_LENGTH)
      .map((a) => `${a.ruleId} at ${a.constructPath ?? a.logicalId ?? '(template)'}: reason "${a.reason}"`);
  }
}

/** What an environment app must synthesize, checked by {@link describeSynthesizedApp}. */
export interface SynthesizedAppExpectations {
  /** Display names of exactly the stacks the app synthesizes, e.g. `core-staging/data`. */
  readonly stacks: readonly string[];
  /** Display names of exactly the stacks that are termination-protected. */
  readonly terminationProtected: readonly string[];
  /**
   * Policy profile the app must validate itself with.
   *
   * @default 'baseline'
   */
  readonly profile?: PolicyProfile;
  /**
   * Folder of the app's committed baseline templates (`<artifact id>.template.json`, written by
   * `nx run <app>:baseline`): each stack's normalized template must equal its baseline, the one
   * reviewed copy of the template that the destructive-change gate also reads.
   *
   * @default - each stack is compared with a Jest snapshot instead
   */
  readonly baselineDir?: string;
  /**
   * Stacks that have no baseline because nothing records one (ephemeral review-app stacks): each
   * is compared with a Jest snapshot instead, so every stack still has exactly one reviewed copy.
   *
   * @default - none
   */
  readonly withoutBaseline?: readonly string[];
}

/**
 * Declares the tests every environment app shares: it synthesizes exactly the expected stacks,
 * protects exactly the expected ones from deletion, validates every template in its policy
 * profile with no open finding and only reasoned acknowledgements, and each stack's normalized
 * template matches its committed baseline (or, without `baselineDir`, its snapshot); one test per
 * stack, named after it, so a change points at its stack while asset hashes and CDK version data
 * never fail the test. Call it inside the
 * file's `describe`, after the `beforeAll` that synthesizes.
 *
 * @param synthesized returns the file's shared synthesis (called inside the tests)
 * @param expectations the stacks and profile
 * @example
 * let staging: SynthesizedApp;
 * beforeAll(() => { staging = SynthesizedApp.of(buildEnvironmentApp('staging', { app: createTestApp() })); });
 * describeSynthesizedApp(() => staging, { stacks: [...], terminationProtected: ['core-staging/data'] });
 */
export function describeSynthesizedApp(synthesized: () => SynthesizedApp, expectations: SynthesizedAppExpectations): void {
  const profile = expectations.profile ?? 'baseline';
  const displayNames = (stacks: readonly SynthesizedStack[]) => stacks.map((s) => s.displayName).sort();

  test('synthesizes exactly the expected stacks', () => {
    expect(displayNames(synthesized().stacks)).toEqual([...expectations.stacks].sort());
  });

  test('termination-protects exactly the stateful stacks', () => {
    expect(displayNames(synthesized().stacks.filter((s) => s.terminationProtection))).toEqual([...expectations.terminationProtected].sort());
  });

  test(`validates every template with the ${profile} policy profile`, () => {
    const { policyRun, stacks } = synthesized();
    expect(policyRun?.profile).toBe(profile);
    expect([...(policyRun?.templates ?? [])].sort()).toEqual(stacks.map((s) => s.relativeTemplatePath).sort());
  });

  test('has no open policy finding', () => {
    // toEqual([]) prints every finding with its resource and fix when it fails.
    expect(synthesized().openFindings()).toEqual([]);
  });

  test(`gives every acknowledged finding a reason of at least ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters`, () => {
    expect(synthesized().unexplainedAcknowledgements()).toEqual([]);
  });

  const { baselineDir } = expectations;
  const snapshotted = baselineDir === undefined ? expectations.stacks : (expectations.withoutBaseline ?? []);
  if (snapshotted.length > 0) {
    test.each(snapshotted.map((name) => [name]))('%s template matches its snapshot', (name) => {
      expect(normalizeTemplate(synthesized().stack(name).template)).toMatchSnapshot();
    });
  }
  if (baselineDir === undefined) return;
  test.each(expectations.stacks.filter((name) => !snapshotted.includes(name)).map((name) => [name]))('%s template matches its committed baseline (an intended change: refresh it with nx run <app>:baseline and review the diff)', (name) => {
    const stack = synthesized().stack(name);
    const file = path.join(baselineDir, `${stack.artifactId}.template.json`);
    if (!existsSync(file)) throw new Error(`${name} has no baseline ${file}: record it with nx run <app>:baseline, review it and commit it`);
    const baseline = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect({ stack: name, template: withoutCliMetadata(normalizeTemplate(stack.template)) }).toEqual({ stack: name, template: withoutCliMetadata(normalizeTemplate(baseline)) });
  });
}

/**
 * The template without the resource metadata the CDK CLI asks for and tests do not (construct
 * paths, `aws:cdk:*`, and asset locations, `aws:asset:*`): synthesis annotations, not design.
 * Every other metadata entry, acknowledgements included, stays compared.
 */
function withoutCliMetadata(template: Record<string, unknown>): Record<string, unknown> {
  const resources = template.Resources as Record<string, { Metadata?: Record<string, unknown> }> | undefined;
  if (!resources) return template;
  const stripped: Record<string, unknown> = {};
  for (const [id, resource] of Object.entries(resources)) {
    const metadata = Object.fromEntries(Object.entries(resource.Metadata ?? {}).filter(([key]) => !/^aws:(cdk|asset):/.test(key)));
    const { Metadata: _metadata, ...rest } = resource;
    stripped[id] = Object.keys(metadata).length > 0 ? { ...rest, Metadata: metadata } : rest;
  }
  return { ...template, Resources: stripped };
}

/** CPU units and memory of a task definition, as numbers. */
export interface TaskSize {
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
}

/**
 * Sizes of a template's ECS task definitions by family (e.g. `core-prod-app`), so a test can
 * compare all of them with one table.
 *
 * @param stack the stack holding the task definitions
 */
export function taskDefinitionSizes(stack: SynthesizedStack): Record<string, TaskSize> {
  const sizes: Record<string, TaskSize> = {};
  for (const [logicalId, resource] of Object.entries(stack.assertions.findResources('AWS::ECS::TaskDefinition'))) {
    const props = resource.Properties as { Family?: string; Cpu: string; Memory: string };
    sizes[props.Family ?? logicalId] = { cpu: Number(props.Cpu), memoryMiB: Number(props.Memory) };
  }
  return sizes;
}

/**
 * Desired task counts of a template's ECS services by service name (e.g. `core-prod-sidekiq`).
 *
 * @param stack the stack holding the services
 */
export function serviceDesiredCounts(stack: SynthesizedStack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [logicalId, resource] of Object.entries(stack.assertions.findResources('AWS::ECS::Service'))) {
    const props = resource.Properties as { ServiceName?: string; DesiredCount: number };
    counts[props.ServiceName ?? logicalId] = props.DesiredCount;
  }
  return counts;
}

/** One scheduled action of an Application Auto Scaling target. */
export interface ScheduledCapacity {
  /** Action name, e.g. `WorkingHoursEnd`. */
  readonly name: string;
  /** Schedule expression, e.g. `cron(30 19 ? * MON-FRI *)`. */
  readonly schedule: string;
  /** Time zone the expression is read in. */
  readonly timeZone?: string;
  /** Task count floor from then on. */
  readonly minCapacity?: number;
  /** Task count ceiling from then on. */
  readonly maxCapacity?: number;
}

/**
 * Scheduled scaling actions of a template's ECS services by service name. Scalable targets name
 * their service only through a `Fn::GetAtt` of its `Name`, so this follows that reference.
 *
 * @param stack the stack holding the services and their scalable targets
 */
export function scheduledServiceCapacity(stack: SynthesizedStack): Record<string, ScheduledCapacity[]> {
  const services = stack.assertions.findResources('AWS::ECS::Service');
  const result: Record<string, ScheduledCapacity[]> = {};
  for (const [logicalId, resource] of Object.entries(stack.assertions.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))) {
    const props = resource.Properties as {
      ResourceId: unknown;
      ScheduledActions?: { ScheduledActionName: string; Schedule: string; Timezone?: string; ScalableTargetAction?: { MinCapacity?: number; MaxCapacity?: number } }[];
    };
    const serviceId = referencedLogicalIds(props.ResourceId).find((id) => id in services);
    const serviceName = serviceId === undefined ? logicalId : ((services[serviceId].Properties as { ServiceName?: string }).ServiceName ?? serviceId);
    result[serviceName] = (props.ScheduledActions ?? []).map((action) => ({
      name: action.ScheduledActionName,
      schedule: action.Schedule,
      timeZone: action.Timezone,
      minCapacity: action.ScalableTargetAction?.MinCapacity,
      maxCapacity: action.ScalableTargetAction?.MaxCapacity,
    }));
  }
  return result;
}

/** When an EventBridge Scheduler schedule fires. */
export interface ScheduleTiming {
  /** Schedule expression, e.g. `cron(0 0 1 4 ? *)`. */
  readonly expression: string;
  /** Time zone the expression is read in. */
  readonly timeZone?: string;
}

/**
 * EventBridge Scheduler schedules that act on ECS services (such as forced redeploys), by the
 * name of the service their input names.
 *
 * @param stack the stack holding the schedules and the services
 */
export function scheduledServiceActions(stack: SynthesizedStack): Record<string, ScheduleTiming[]> {
  const services = stack.assertions.findResources('AWS::ECS::Service');
  const result: Record<string, ScheduleTiming[]> = {};
  for (const resource of Object.values(stack.assertions.findResources('AWS::Scheduler::Schedule'))) {
    const props = resource.Properties as { ScheduleExpression: string; ScheduleExpressionTimezone?: string; Target?: { Input?: unknown } };
    for (const serviceId of new Set(referencedLogicalIds(props.Target?.Input).filter((id) => id in services))) {
      const serviceName = (services[serviceId].Properties as { ServiceName?: string }).ServiceName ?? serviceId;
      (result[serviceName] ??= []).push({ expression: props.ScheduleExpression, timeZone: props.ScheduleExpressionTimezone });
    }
  }
  return result;
}

/**
 * Retention in days of the log group behind each VPC flow log of a template, in template order
 * (`undefined` for a flow log that does not deliver to a log group of the template).
 *
 * @param stack the network stack
 */
export function flowLogRetentionDays(stack: SynthesizedStack): (number | undefined)[] {
  const logGroups = stack.assertions.findResources('AWS::Logs::LogGroup');
  return Object.values(stack.assertions.findResources('AWS::EC2::FlowLog')).map((flowLog) => {
    const logGroupId = referencedLogicalIds(flowLog.Properties.LogGroupName).find((id) => id in logGroups);
    return logGroupId === undefined ? undefined : (logGroups[logGroupId].Properties.RetentionInDays as number | undefined);
  });
}

/** Logical ids a template value refers to through `Ref` or `Fn::GetAtt`, at any depth. */
function referencedLogicalIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedLogicalIds);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return [record.Ref];
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
  return Object.values(record).flatMap(referencedLogicalIds);
}

/**
 * Asserts a CloudFront-scope web ACL that blocks every request neither from GB nor from one of
 * the allowlisted IPv4 ranges.
 *
 * @param stack the edge stack
 * @param allowlist the IPv4 ranges the IP set must hold
 */
export function expectGeoRestrictedWebAcl(stack: SynthesizedStack, allowlist: readonly string[]): void {
  stack.assertions.hasResourceProperties('AWS::WAFv2::WebACL', {
    Rules: Match.arrayWith([
      Match.objectLike({
        Action: { Block: Match.anyValue() },
        Statement: {
          NotStatement: {
            Statement: { OrStatement: { Statements: Match.arrayWith([{ GeoMatchStatement: { CountryCodes: ['GB'] } }, Match.objectLike({ IPSetReferenceStatement: Match.anyValue() })]) } },
          },
        },
      }),
    ]),
  });
  stack.assertions.hasResourceProperties('AWS::WAFv2::IPSet', { Addresses: [...allowlist] });
}

/**
 * Asserts that none of the stacks has a Shield Advanced protection or protection group.
 *
 * @param stacks the stacks to check
 */
export function expectNoShieldProtection(stacks: readonly SynthesizedStack[]): void {
  for (const stack of stacks) {
    stack.assertions.resourceCountIs('AWS::Shield::Protection', 0);
    stack.assertions.resourceCountIs('AWS::Shield::ProtectionGroup', 0);
  }
}

/**
 * Asserts the monthly cost budget of an account.
 *
 * @param stack the monitoring stack
 * @param usd the monthly limit in USD
 */
export function expectMonthlyBudget(stack: SynthesizedStack, usd: number): void {
  stack.assertions.hasResourceProperties('AWS::Budgets::Budget', {
    Budget: Match.objectLike({ BudgetLimit: { Amount: usd, Unit: 'USD' }, TimeUnit: 'MONTHLY' }),
  });
}

/**
 * Asserts the VPC's range, NAT gateways and the retention of its flow logs.
 *
 * @param stack the network stack
 * @param expected CIDR, NAT gateway count and the retention (days) of each flow log
 */
export function expectNetwork(stack: SynthesizedStack, expected: { readonly cidr: string; readonly natGateways: number; readonly flowLogRetentionDays: readonly number[] }): void {
  stack.assertions.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: expected.cidr });
  stack.assertions.resourceCountIs('AWS::EC2::NatGateway', expected.natGateways);
  expect(flowLogRetentionDays(stack)).toEqual(expected.flowLogRetentionDays);
}
