import { z } from 'zod';
import { describeFargateMemory, isValidFargateTaskSize } from '@core-infra/constructs';
import { clockTime, count } from './primitives';

/** Application Load Balancer limit on rules per listener (the default quota); one per review app. */
export const LISTENER_RULE_QUOTA = 100;

/**
 * Largest review-app number. The number is also the review app's listener rule priority, which
 * ALB caps at 50000, and it keeps names such as `core-review-<N>-app` inside the 32 characters of
 * a target group name.
 */
export const MAX_REVIEW_APP_NUMBER = 49_999;

function checkFargateSize(ctx: { value: { cpu: number; memoryMiB: number }; issues: unknown[] }): void {
  const { cpu, memoryMiB } = ctx.value;
  if (!isValidFargateTaskSize(cpu, memoryMiB)) {
    ctx.issues.push({ code: 'custom', input: memoryMiB, path: ['memoryMiB'], message: `cpu ${cpu} with memoryMiB ${memoryMiB} is not a Fargate task size: ${describeFargateMemory(cpu)}` });
  }
}

const cpu = z.number().int().describe('CPU units (1024 = 1 vCPU)');
const memoryMiB = z.number().int().describe('memory in MiB');

/** A Fargate task size: CPU units and memory, which must be a pair Fargate accepts. */
export const taskSizeSchema = z
  .strictObject({
    /** CPU units (1024 = 1 vCPU). */
    cpu,
    /** Memory in MiB. */
    memoryMiB,
  })
  .check(checkFargateSize);

/** A Fargate service: a valid task size and its working-hours task count. */
export const serviceSizeSchema = z
  .strictObject({
    /** CPU units (1024 = 1 vCPU). */
    cpu,
    /** Memory in MiB. */
    memoryMiB,
    /** Tasks during working hours. */
    desiredCount: count(50).describe('tasks during working hours'),
  })
  .check(checkFargateSize);

/**
 * The `app` section: the ECS Fargate application. Its `web`, `worker`, `adHoc`, `outOfHours`
 * and `cpuTargetTracking` objects have the shape of the WebApplication props of the same names,
 * so the stacks pass them through.
 */
export const appConfigSchema = z.strictObject({
  /** `RAILS_ENV` of the containers. */
  railsEnv: z.string().min(1),
  /** Image tag at synthesis; CI owns the tag that runs. */
  imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be a Docker image tag' }).default('latest-deployed').describe('image tag at synth; CI owns the deployed tag'),
  /** Size and working-hours count of the web service. */
  web: serviceSizeSchema,
  /** Size and working-hours count of the sidekiq worker. */
  worker: serviceSizeSchema,
  /** Size of the ad-hoc task (migrations, one-off jobs). */
  adHoc: taskSizeSchema,
  /**
   * Container directories the app writes to. When set, every container gets a read-only root
   * filesystem with a writable volume at each of these paths (CORE.CONTAINER.3 requires that in
   * the production profile).
   */
  writableDirectories: z
    .array(z.string().regex(/^\/[A-Za-z0-9._/-]+$/, { error: 'must be an absolute container path such as "/app/tmp"' }))
    .default([])
    .describe('container directories the app writes to; set, the root filesystem becomes read-only'),
  /** Scheduled scaling outside working hours (Mon–Fri, Europe/London). */
  outOfHours: z.strictObject({
    /** Whether services scale down out of hours. */
    enabled: z.boolean(),
    /** When working hours start, `HH:MM`. */
    workdayStart: clockTime,
    /** When working hours end, `HH:MM`. */
    workdayEnd: clockTime,
    /** Web tasks out of hours. */
    webCount: count(50),
    /** Worker tasks out of hours. */
    workerCount: count(50),
  }),
  /** Optional CPU target tracking of the web service. */
  cpuTargetTracking: z
    .strictObject({
      /** Whether the web service scales on CPU. */
      enabled: z.boolean(),
      /** CPU utilisation to keep. */
      targetPercent: z.number().min(10).max(90).default(60),
      /** Most web tasks CPU scaling may run. */
      maxCount: count(50).default(8),
    })
    .default({ enabled: false, targetPercent: 60, maxCount: 8 }),
  /** Whether app and worker are redeployed at 00:00 UTC on 1 April. */
  collectionRolloverRedeploy: z.boolean().describe('force a redeploy at 00:00 UTC on 1 April'),
  /** Whether alarms stay silent when they recover. */
  suppressOkNotifications: z.boolean(),
  /** Whether missing alarm data counts as OK (services that scale to zero). */
  missingDataNotBreaching: z.boolean().describe('treat missing alarm data as OK (services that scale to zero)'),
  /** Whether the staging performance-test secrets are injected. */
  performanceTestSecrets: z.boolean().describe('inject the staging performance-test secrets'),
});

/** The `reviewApps` section: per-review-app settings (dev only). */
export const reviewAppsConfigSchema = z.strictObject({
  /** Review apps synthesized when none are named, so CI always validates the review-app stage. */
  sample: z.array(z.number().int().positive().max(MAX_REVIEW_APP_NUMBER)).default([]).describe('review apps synthesized when none are named, so CI always validates the per-review-app stacks'),
  /** Node type of each review app's Redis. */
  redisNodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/).default('cache.t3.micro'),
  /** Size of review-app web tasks (default: the environment's). */
  web: serviceSizeSchema.optional(),
});
