import type { IConstruct } from 'constructs';
import { propsError } from '../shared/errors';

/**
 * The memory sizes (MiB) Fargate accepts for each CPU size (CPU units, 1024 = 1 vCPU) on
 * Linux, from the ECS task-size table.
 */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/**
 * Whether Fargate runs a task of this size.
 *
 * @param cpu CPU units (1024 = 1 vCPU)
 * @param memoryMiB memory in MiB
 */
export function isValidFargateTaskSize(cpu: number, memoryMiB: number): boolean {
  return FARGATE_MEMORY_BY_CPU[cpu]?.includes(memoryMiB) ?? false;
}

/**
 * Describes the memory sizes Fargate accepts for a CPU size (or the CPU sizes it accepts), for
 * error messages: e.g. `2048 to 8192 in steps of 1024`.
 *
 * @param cpu CPU units
 */
export function describeFargateMemory(cpu: number): string {
  const memories = FARGATE_MEMORY_BY_CPU[cpu];
  return memories === undefined ? `cpu must be one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}` : `memoryMiB must be ${summarise(memories)}`;
}

/**
 * Checks that a CPU and memory pair is one Fargate can run, throwing with the props to change
 * and the sizes that would work otherwise.
 *
 * @param scope the construct whose props these are, named in the error
 * @param propName the prop holding the size, e.g. `web` for `web.cpu` / `web.memoryMiB`
 * @param cpu CPU units
 * @param memoryMiB memory in MiB
 * @throws a {@link propsError} naming the prop and the sizes that would work
 */
export function assertFargateTaskSize(scope: IConstruct, propName: string, cpu: number, memoryMiB: number): void {
  const memories = FARGATE_MEMORY_BY_CPU[cpu];
  if (memories === undefined) {
    throw propsError(scope, `${propName}.cpu must be one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')} (CPU units, 1024 = 1 vCPU), got ${cpu}: pick a Fargate CPU size`);
  }
  if (!memories.includes(memoryMiB)) {
    throw propsError(scope, `${propName}.memoryMiB ${memoryMiB} is not a valid Fargate size for ${propName}.cpu ${cpu}: use one of ${summarise(memories)} MiB, or change ${propName}.cpu`);
  }
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

function summarise(values: readonly number[]): string {
  if (values.length <= 4) return values.join(', ');
  return `${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}
