/**
 * Finding the containers and task-level settings of ECS task definitions and Batch job
 * definitions, and reading their flags without guessing what an intrinsic function returns.
 */
import { isObject, type JsonObject } from '../../values';

/** Where each type keeps its container definitions, below `Properties` (`[]` steps into each item). */
export const CONTAINER_PATHS: Readonly<Record<string, readonly string[]>> = {
  'AWS::ECS::TaskDefinition': ['ContainerDefinitions[]'],
  'AWS::Batch::JobDefinition': [
    'ContainerProperties',
    'NodeProperties.NodeRangeProperties[].Container',
    'EcsProperties.TaskProperties[].Containers[]',
    'NodeProperties.NodeRangeProperties[].EcsProperties.TaskProperties[].Containers[]',
  ],
};

/** Where each type keeps task-level settings (NetworkMode, PidMode, IpcMode); `''` is `Properties` itself. */
export const TASK_PATHS: Readonly<Record<string, readonly string[]>> = {
  'AWS::ECS::TaskDefinition': [''],
  'AWS::Batch::JobDefinition': ['EcsProperties.TaskProperties[]', 'NodeProperties.NodeRangeProperties[].EcsProperties.TaskProperties[]'],
};

/** An object found at a path, or the intrinsic function that stands where a list or object was expected. */
export interface Located {
  /** Where it is, e.g. `Properties.ContainerDefinitions[0]`. */
  readonly location: string;
  /** The object, when it could be read. */
  readonly object?: JsonObject;
  /** The intrinsic function found instead (`Fn::If`, …), which the rules cannot evaluate. */
  readonly unreadable?: string;
}

/** The intrinsic function a value is (`Fn::If`, `Ref`, …), if it is one. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/**
 * Every object at a dotted path below `from` (by default the resource's `Properties`), e.g.
 * `ContainerDefinitions[]`; `base` is the location of `from`.
 */
export function objectsAt(from: JsonObject, path: string, base = 'Properties'): readonly Located[] {
  return walk(from, base, path === '' ? [] : path.split('.'));
}

function walk(node: unknown, location: string, steps: readonly string[]): Located[] {
  const fn = intrinsicName(node);
  if (fn !== undefined) return [{ location, unreadable: fn }];
  if (!isObject(node)) return [];
  if (steps.length === 0) return [{ location, object: node }];
  const [step, ...rest] = steps;
  const key = step.replace(/\[\]$/, '');
  const at = `${location}.${key}`;
  const child = node[key];
  if (key === step) return walk(child, at, rest);
  const listFn = intrinsicName(child);
  if (listFn !== undefined) return [{ location: at, unreadable: listFn }];
  return Array.isArray(child) ? child.flatMap((item, i) => walk(item, `${at}[${i}]`, rest)) : [];
}

/** A container definition, or the intrinsic function standing in its place. */
export type Container = Located & {
  /** The container's Name, or its location when it has none. */
  readonly name: string;
};

/** The containers of a resource, each named for messages by its Name or its position. */
export function containersOf(type: string, properties: JsonObject): readonly Container[] {
  return (CONTAINER_PATHS[type] ?? []).flatMap((path) =>
    objectsAt(properties, path).map((found) => ({
      ...found,
      name: typeof found.object?.Name === 'string' ? found.object.Name : found.location.replace(/^Properties\./, ''),
    })),
  );
}

/**
 * A boolean property as CloudFormation reads it (`true` or `"true"`); `undefined` when it is an
 * intrinsic function, which a rule must treat as failing rather than guess.
 */
export function readFlag(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  return undefined;
}

/** How a value that is not a literal is described in a message: its intrinsic function, or its kind. */
export function describeUnreadable(value: unknown): string {
  return intrinsicName(value) ?? `a ${Array.isArray(value) ? 'list' : typeof value}`;
}
