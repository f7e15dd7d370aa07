/** Memory sizes (MiB) Fargate accepts for each CPU size (CPU units), per the ECS task size table. */
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
 * Whether Fargate accepts a task of this size.
 *
 * @param cpu CPU units (1024 = 1 vCPU)
 * @param memoryMiB memory in MiB
 */
export function isValidFargateSize(cpu: number, memoryMiB: number): boolean {
  return FARGATE_MEMORY_BY_CPU[cpu]?.includes(memoryMiB) ?? false;
}

/**
 * Describes the memory sizes allowed for a CPU size, for error messages.
 *
 * @param cpu CPU units
 */
export function describeFargateMemory(cpu: number): string {
  const allowed = FARGATE_MEMORY_BY_CPU[cpu];
  if (!allowed) return `cpu must be one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`;
  return allowed.length <= 4 ? `memoryMiB must be one of ${allowed.join(', ')}` : `memoryMiB must be ${allowed[0]}–${allowed[allowed.length - 1]} in steps of ${allowed[1] - allowed[0]}`;
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}
