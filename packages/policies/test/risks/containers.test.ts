import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  CONTAINER_RISK_RULES,
  CONTAINER_NO_ADDED_CAPABILITIES,
  CONTAINER_NO_PRIVILEGE_OR_HOST_NAMESPACES,
  CONTAINER_READONLY_ROOT_FILESYSTEM,
  ECS_CLUSTER_CONTAINER_INSIGHTS,
  type RiskContext,
  type RiskResource,
} from '../../src';
import { FAILING_RESOURCES } from './fixtures/containers';

const BASELINE: RiskContext = { profile: 'baseline', trustedAccounts: new Set() };
const PRODUCTION: RiskContext = { profile: 'production', trustedAccounts: new Set() };

function resource(type: string, properties: Record<string, unknown>): RiskResource {
  return { logicalId: 'Subject', type, properties, entry: { Type: type, Properties: properties } };
}

const taskDefinition = (containers: Record<string, unknown>[], task: Record<string, unknown> = {}) =>
  resource('AWS::ECS::TaskDefinition', { ContainerDefinitions: containers.map((c, i) => ({ Name: `c${i}`, Image: 'core', ...c })), ...task });
const batchJob = (properties: Record<string, unknown>) => resource('AWS::Batch::JobDefinition', { Type: 'container', ...properties });

// CORE's app container as synthesized: init process on, no capabilities added.
const CORE_LINUX_PARAMETERS = { Capabilities: {}, InitProcessEnabled: true };

describe('CORE.CONTAINER.1 no added Linux capabilities', () => {
  const check = (r: RiskResource) => CONTAINER_NO_ADDED_CAPABILITIES.check(r, BASELINE);
  const adding = (add: unknown, drop?: string[]) => taskDefinition([{ Name: 'app', LinuxParameters: { Capabilities: { Add: add, Drop: drop } } }]);

  test('SKIP: containers without LinuxParameters, and CORE’s own container', () => {
    expect(check(taskDefinition([{}]))).toEqual([]);
    expect(check(taskDefinition([{ LinuxParameters: CORE_LINUX_PARAMETERS }]))).toEqual([]);
  });

  test('checks ECS task definitions only: Batch job definitions have no capabilities setting', () => {
    expect(CONTAINER_NO_ADDED_CAPABILITIES.resourceTypes).toEqual(['AWS::ECS::TaskDefinition']);
  });

  test.each([
    ['NET_BIND_SERVICE after dropping ALL', ['NET_BIND_SERVICE'], ['ALL']],
    ['cap_net_bind_service in any case', ['cap_net_bind_service'], undefined],
    ['an empty list', [], undefined],
  ])('PASS: %s', (_label, add, drop) => {
    expect(check(adding(add, drop))).toEqual([]);
  });

  test.each([
    ['SYS_ADMIN', 'mounts'],
    ['CAP_SYS_ADMIN', 'container escape'],
    ['net_admin', 'redirect traffic'],
    ['ALL', 'as good as a privileged container'],
    ['all', 'as good as a privileged container'],
    ['SYS_PTRACE', 'memory of other processes'],
    ['NET_RAW', ''],
  ])('FAIL: adding %s', (capability, why) => {
    // GIVEN a container that adds the capability
    // WHEN
    const violations = check(adding([capability]));

    // THEN the container and the capability are named
    expect(violations).toEqual([
      { message: expect.stringMatching(new RegExp(`^container app adds Linux capability ${capability}.*${why}`)), location: 'Properties.ContainerDefinitions[0].LinuxParameters.Capabilities.Add[0]' },
    ]);
  });

  test('FAIL: only the added capability of the second container is reported', () => {
    // GIVEN the first container adds the allowed capability, the second SYS_ADMIN after it
    const subject = taskDefinition([{ LinuxParameters: { Capabilities: { Add: ['NET_BIND_SERVICE'] } } }, { LinuxParameters: { Capabilities: { Add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] } } }]);

    // THEN
    expect(check(subject)).toEqual([{ message: expect.stringContaining('container c1 adds Linux capability SYS_ADMIN'), location: 'Properties.ContainerDefinitions[1].LinuxParameters.Capabilities.Add[1]' }]);
  });

  test('FAIL: a list of capabilities given as an intrinsic function fails closed', () => {
    const subject = adding({ 'Fn::If': ['Debug', ['SYS_PTRACE'], []] });
    expect(check(subject)).toEqual([{ message: expect.stringContaining('Fn::If, which cannot be evaluated'), location: 'Properties.ContainerDefinitions[0].LinuxParameters.Capabilities.Add' }]);
  });
});

describe('CORE.CONTAINER.2 no privileged containers and no host namespaces', () => {
  const check = (r: RiskResource) => CONTAINER_NO_PRIVILEGE_OR_HOST_NAMESPACES.check(r, BASELINE);

  test('SKIP: a Batch job definition with no container and an ECS task with neither setting', () => {
    expect(check(batchJob({}))).toEqual([]);
    expect(check(taskDefinition([{ LinuxParameters: CORE_LINUX_PARAMETERS }]))).toEqual([]);
  });

  test.each([
    ['an awsvpc task with Privileged false', taskDefinition([{ Privileged: false }], { NetworkMode: 'awsvpc', PidMode: 'task', IpcMode: 'none' })],
    ['a Batch job with Privileged "false"', batchJob({ ContainerProperties: { Image: 'core', Privileged: 'false' } })],
  ])('PASS: %s', (_label, subject) => {
    expect(check(subject)).toEqual([]);
  });

  test.each([
    ['a privileged ECS container', taskDefinition([{}, { Name: 'sidecar', Privileged: true }]), 'container sidecar is privileged', 'Properties.ContainerDefinitions[1].Privileged'],
    ['a privileged Batch container', batchJob({ ContainerProperties: { Image: 'core', Privileged: 'true' } }), 'is privileged', 'Properties.ContainerProperties.Privileged'],
    [
      'a privileged container of a multi-node Batch job',
      batchJob({ NodeProperties: { NodeRangeProperties: [{ TargetNodes: '0:', Container: { Image: 'core', Privileged: true } }] } }),
      'is privileged',
      'Properties.NodeProperties.NodeRangeProperties[0].Container.Privileged',
    ],
    ['an ECS task on the host network', taskDefinition([{}], { NetworkMode: 'host' }), 'NetworkMode is host', 'Properties.NetworkMode'],
    ['an ECS task in the host PID namespace', taskDefinition([{}], { PidMode: 'host' }), 'host’s pid namespace', 'Properties.PidMode'],
    ['an ECS task in the host IPC namespace', taskDefinition([{}], { IpcMode: 'host' }), 'host’s ipc namespace', 'Properties.IpcMode'],
    ['a Batch ECS task in the host PID namespace', batchJob({ EcsProperties: { TaskProperties: [{ PidMode: 'host', Containers: [{ Image: 'core' }] }] } }), 'PidMode is host', 'Properties.EcsProperties.TaskProperties[0].PidMode'],
    ['Privileged given as Fn::If', taskDefinition([{ Privileged: { 'Fn::If': ['Debug', true, false] } }]), 'Fn::If, which cannot be evaluated', 'Properties.ContainerDefinitions[0].Privileged'],
    ['NetworkMode given as a Ref', taskDefinition([{}], { NetworkMode: { Ref: 'Mode' } }), 'NetworkMode is Ref, which cannot be evaluated', 'Properties.NetworkMode'],
  ])('FAIL: %s', (_label, subject, named, location) => {
    // GIVEN a container or task that reaches into the host
    // WHEN
    const violations = check(subject);

    // THEN
    expect(violations).toEqual([{ message: expect.stringContaining(named), location }]);
  });
});

describe('CORE.CONTAINER.3 read-only root filesystems (production)', () => {
  const check = (r: RiskResource) => CONTAINER_READONLY_ROOT_FILESYSTEM.check(r, PRODUCTION);

  test('runs in the production profile only', () => {
    expect(CONTAINER_READONLY_ROOT_FILESYSTEM.profile).toBe('production');
  });

  test('SKIP: a task definition with no container definitions', () => {
    expect(check(resource('AWS::ECS::TaskDefinition', { Family: 'empty' }))).toEqual([]);
  });

  test('PASS: every container read-only, writing only to mounted task volumes', () => {
    // GIVEN
    const subject = taskDefinition(
      [
        { ReadonlyRootFilesystem: true, MountPoints: [{ SourceVolume: 'tmp', ContainerPath: '/app/tmp', ReadOnly: false }] },
        { ReadonlyRootFilesystem: 'true' },
      ],
      { Volumes: [{ Name: 'tmp' }] },
    );

    // THEN
    expect(check(subject)).toEqual([]);
  });

  test.each([
    ['false, as CORE’s production tasks are today', { ReadonlyRootFilesystem: false }, 'container c0 has a writable root filesystem: ReadonlyRootFilesystem is false'],
    ['absent', {}, 'ReadonlyRootFilesystem is not set'],
    ['given as Fn::If', { ReadonlyRootFilesystem: { 'Fn::If': ['Prod', true, false] } }, 'Fn::If, which cannot be evaluated'],
  ])('FAIL: ReadonlyRootFilesystem %s', (_label, container, message) => {
    expect(check(taskDefinition([container]))).toEqual([{ message: expect.stringContaining(message), location: 'Properties.ContainerDefinitions[0].ReadonlyRootFilesystem' }]);
  });

  test('FAIL: each writable container of a task is reported', () => {
    const subject = taskDefinition([{ ReadonlyRootFilesystem: true }, { Name: 'worker' }, { Name: 'proxy', ReadonlyRootFilesystem: false }]);
    expect(check(subject).map((v) => v.location)).toEqual(['Properties.ContainerDefinitions[1].ReadonlyRootFilesystem', 'Properties.ContainerDefinitions[2].ReadonlyRootFilesystem']);
  });
});

describe('CORE.CONTAINER.4 Container Insights on every ECS cluster', () => {
  const check = (r: RiskResource) => ECS_CLUSTER_CONTAINER_INSIGHTS.check(r, BASELINE);
  const cluster = (settings?: unknown) => resource('AWS::ECS::Cluster', settings === undefined ? { ClusterName: 'core' } : { ClusterName: 'core', ClusterSettings: settings });

  test('SKIP: it is only ever called for clusters', () => {
    expect(ECS_CLUSTER_CONTAINER_INSIGHTS.resourceTypes).toEqual(['AWS::ECS::Cluster']);
  });

  test.each([['enabled'], ['enhanced']])('PASS: containerInsights %s', (value) => {
    expect(check(cluster([{ Name: 'containerInsights', Value: value }]))).toEqual([]);
  });

  test.each([
    ['no ClusterSettings', undefined, 'no containerInsights setting', 'Properties.ClusterSettings'],
    ['containerInsights disabled', [{ Name: 'containerInsights', Value: 'disabled' }], 'containerInsights is disabled', 'Properties.ClusterSettings[0].Value'],
    ['containerInsights from a parameter', [{ Name: 'containerInsights', Value: { Ref: 'Insights' } }], 'containerInsights is Ref, which cannot be evaluated', 'Properties.ClusterSettings[0].Value'],
  ])('FAIL: %s', (_label, settings, message, location) => {
    expect(check(cluster(settings))).toEqual([{ message: expect.stringContaining(message), location }]);
  });
});

describe('containers family', () => {
  test.each(CONTAINER_RISK_RULES.map((rule) => [rule.id, rule] as const))('GIVEN the failing fixture of %s WHEN checked in the profile that runs it THEN it fails its rule', (id, rule) => {
    const fixture = FAILING_RESOURCES[id];
    expect(rule.resourceTypes).toContain(fixture.Type);
    expect(rule.check(resource(fixture.Type, fixture.Properties), rule.profile === 'production' ? PRODUCTION : BASELINE)).not.toEqual([]);
  });

  test.each(CONTAINER_RISK_RULES.map((rule) => [rule.id, rule] as const))('%s lives in the file its metadata names', (_id, rule) => {
    const name = rule.ruleName.toLowerCase().replace(/_/g, '-');
    expect(rule.file).toBe(`engine:risk/containers/${name}`);
    expect(existsSync(path.join(__dirname, '../../src/risks/rules/containers', `${name}.ts`))).toBe(true);
  });
});
