import { DeployInputError, orderStacks, readAssemblyStacks, renderRoleArn, type DeployableStack } from '../../src';
import { removeFakeApps, stagingLikeStacks, writeFakeApp } from './fake-assembly';

afterAll(removeFakeApps);

const ids = (stacks: readonly DeployableStack[]) => stacks.map((stack) => stack.id);

describe('readAssemblyStacks', () => {
  test('reads stacks of nested assemblies with stage, account, region, rendered role and dependencies by id', () => {
    // GIVEN a staging-like assembly
    const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]);

    // WHEN it is read
    const stacks = readAssemblyStacks(assembly);

    // THEN the edge stack is described as the CDK CLI and the plan need it
    expect(stacks.find((stack) => stack.id === 'core-staging/edge')).toEqual({
      id: 'core-staging/edge',
      artifactId: 'corestagingedgeAB12CD34',
      stage: 'core-staging',
      stackName: 'core-staging-edge',
      account: '100000000003',
      region: 'us-east-1',
      deployRoleArn: 'arn:aws:iam::100000000003:role/cdk-hnb659fds-deploy-role-100000000003-us-east-1',
      terminationProtection: false,
      dependencies: ['core-staging/monitoring', 'core-staging/app'],
      relativeTemplatePath: 'assembly-core-staging/corestagingedgeAB12CD34.template.json',
    });
    expect(stacks.find((stack) => stack.id === 'core-staging/data')?.terminationProtection).toBe(true);
  });

  test('refuses a folder without manifest.json with exit-2 input error naming the fix', () => {
    expect(() => readAssemblyStacks(__dirname)).toThrow(DeployInputError);
    expect(() => readAssemblyStacks(__dirname)).toThrow(/--assembly: .* is not a cloud assembly: it has no manifest\.json.*nx run <env>:synth/);
  });
});

describe('orderStacks', () => {
  const ordered = () => ids(orderStacks(readAssemblyStacks(writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]).assembly)));

  test('puts every stack after the stacks it depends on', () => {
    const order = ordered();
    const at = (name: string) => order.indexOf(`core-staging/${name}`);
    expect(at('data')).toBeLessThan(at('app'));
    expect(at('network')).toBeLessThan(at('data'));
    expect(at('monitoring')).toBeLessThan(at('data'));
    expect(at('app')).toBeLessThan(at('edge'));
    expect(at('monitoring')).toBeLessThan(at('edge'));
  });

  test('breaks ties by display name, so the order is the same on every synthesis', () => {
    expect(ordered()).toEqual([
      'core-staging/deployment-access',
      'core-staging/monitoring',
      'core-staging/network',
      'core-staging/data',
      'core-staging/app',
      'core-staging/edge',
    ]);
  });

  test('does not depend on manifest order', () => {
    const reversed = [...stagingLikeStacks()].reverse();
    const order = ids(orderStacks(readAssemblyStacks(writeFakeApp([{ name: 'core-staging', stacks: reversed }]).assembly)));
    expect(order).toEqual(ordered());
  });

  test('ignores dependencies on stacks outside the deployment', () => {
    const stack = (id: string, dependencies: string[]): DeployableStack => ({ id, artifactId: id, stackName: id, terminationProtection: false, dependencies, relativeTemplatePath: `${id}.template.json` });
    expect(ids(orderStacks([stack('b', ['elsewhere']), stack('a', ['b'])]))).toEqual(['b', 'a']);
  });

  test('refuses a dependency cycle, naming the stacks', () => {
    const stack = (id: string, dependencies: string[]): DeployableStack => ({ id, artifactId: id, stackName: id, terminationProtection: false, dependencies, relativeTemplatePath: `${id}.template.json` });
    expect(() => orderStacks([stack('a', ['b']), stack('b', ['a']), stack('c', [])])).toThrow(/the stacks a, b depend on each other in a cycle/);
  });
});

describe('renderRoleArn', () => {
  test('renders the partition, and the account and region of environment-agnostic roles', () => {
    expect(renderRoleArn('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-deploy-${AWS::Region}', '123456789012', 'eu-west-2')).toBe('arn:aws:iam::123456789012:role/cdk-deploy-eu-west-2');
  });
});
