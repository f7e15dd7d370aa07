import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { REPORT_FILE_NAMES } from '@core-infra/policies';
import { DEFAULT_REQUIRE_APPROVAL } from './cdk-cli';
import { DeployFailedError } from './errors';
import type { DeployPlan } from './plan';

/** Name of the file that completes an archive; an archive without it is an interrupted upload. */
export const DEPLOYMENT_RECORD_FILE = 'deployment.json';

/** Placeholder the plan shows for the archive timestamp, which is known only when the deployment finishes. */
export const ARCHIVE_TIMESTAMP_PLACEHOLDER = '<finish time YYYYMMDDTHHMMSSZ>';

/** Content of {@link DEPLOYMENT_RECORD_FILE}: what was deployed, from which commit, by whom and when. */
export interface DeploymentRecord {
  /** Deployment name: the environment, or `review-<N>` for a review app. */
  readonly environment: string;
  /** Full commit the assembly was synthesized from. */
  readonly gitSha: string;
  /** CI run that deployed, when known. */
  readonly runId?: string;
  /** Who held the deploy lock. */
  readonly holder: string;
  /** ISO 8601 UTC time the deployment started (the lock was taken). */
  readonly startedAt: string;
  /** ISO 8601 UTC time `cdk deploy` finished. */
  readonly finishedAt: string;
  /** CloudFormation names of the deployed stacks, in deployment order. */
  readonly stacks: readonly string[];
  /** The `--require-approval` level the deployment ran with. */
  readonly requireApproval: string;
}

/** What {@link archiveAssembly} uploads, and where. */
export interface ArchiveRequest {
  /** S3 client for the state bucket's region. */
  readonly client: S3Client;
  /** The state bucket. */
  readonly bucket: string;
  /** Account that must own the bucket (the meta account), so nothing is written to a bucket someone else claimed. */
  readonly expectedBucketOwner: string;
  /** Key prefix ending in `/`, from {@link archivePrefix}. */
  readonly prefix: string;
  /** The deployed `cdk.out` folder. */
  readonly assemblyDir: string;
  /**
   * The policy report the assembly passed, uploaded as `policy-report.json`.
   *
   * @default - none; the assembly's own policy run record is in the folder
   */
  readonly policyReportFile?: string;
  /** Written last, as {@link DEPLOYMENT_RECORD_FILE}. */
  readonly deployment: DeploymentRecord;
  /**
   * How many objects are uploaded at once.
   *
   * @default 8
   */
  readonly concurrency?: number;
}

/**
 * The archive timestamp of a deployment, `YYYYMMDDTHHMMSSZ` in UTC, so keys sort
 * chronologically.
 *
 * @param date when the deployment finished
 */
export function formatArchiveTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Key prefix of an archived assembly: `assemblies/<environment>/<timestamp>-<git sha>/`.
 *
 * @param environment deployment name, e.g. `staging` or `review-1234`
 * @param timestamp from {@link formatArchiveTimestamp}, or {@link ARCHIVE_TIMESTAMP_PLACEHOLDER} in a plan
 * @param gitSha the full commit
 */
export function archivePrefix(environment: string, timestamp: string, gitSha: string): string {
  return `assemblies/${environment}/${timestamp}-${gitSha}/`;
}

/**
 * Uploads a deployed assembly to the state bucket: every file of the `cdk.out` folder under
 * its relative path, the policy report, and {@link DEPLOYMENT_RECORD_FILE} only after all of
 * them succeeded, so that readers (the destructive-change gate's baseline) never take a partial
 * upload for a complete archive.
 *
 * @param request bucket, prefix, folder, report and deployment record
 * @returns the keys written, `deployment.json` last
 * @throws the S3 client's error when an upload fails; `deployment.json` is then not written
 */
export async function archiveAssembly(request: ArchiveRequest): Promise<string[]> {
  const files = listFiles(path.resolve(request.assemblyDir)).map((file) => ({
    key: request.prefix + path.relative(path.resolve(request.assemblyDir), file).split(path.sep).join('/'),
    file,
  }));
  if (request.policyReportFile !== undefined) files.push({ key: request.prefix + REPORT_FILE_NAMES.json, file: request.policyReportFile });

  const put = (key: string, body: Buffer | string) =>
    request.client.send(
      new PutObjectCommand({
        Bucket: request.bucket,
        Key: key,
        Body: body,
        ContentType: key.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        ExpectedBucketOwner: request.expectedBucketOwner,
      }),
    );

  const written: string[] = [];
  const queue = [...files];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      await put(next.key, readFileSync(next.file));
      written.push(next.key);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency ?? 8) }, worker));

  const recordKey = request.prefix + DEPLOYMENT_RECORD_FILE;
  await put(recordKey, JSON.stringify(request.deployment, null, 2) + '\n');
  written.push(recordKey);
  return written;
}

/**
 * Files of an assembly folder, recursively, in a stable order. Symbolic links and the CDK CLI's
 * transient `*.lock` files are left out: neither is part of the assembly as deployed.
 */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full));
    else if (entry.isFile() && !entry.name.endsWith('.lock')) files.push(full);
  }
  return files;
}

/**
 * Archives a deployed assembly under its deployment's prefix in the state bucket, with
 * `deployment.json` (who, when, which commit and stacks) written last.
 *
 * @param plan the executed plan
 * @param startedAt when the deployment started
 * @param finishedAt when it finished (names the archive)
 * @param s3 client for the state bucket (default: one for the bucket's region and the default credential chain)
 * @param log where progress goes
 * @throws DeployFailedError when the plan names no commit or the upload fails
 */
export async function archiveDeployment(plan: DeployPlan, startedAt: Date, finishedAt: Date, s3: S3Client | undefined, log: (line: string) => void): Promise<void> {
  const planned = plan.archive;
  if (planned === undefined) return;
  if (planned.gitSha === undefined) {
    // planDeployment refuses a real run without a commit; a hand-built plan must not archive under a made-up name.
    throw new DeployFailedError('the stacks are deployed, but the plan names no commit, so the assembly was not archived: pass --git-sha and deploy again');
  }
  const prefix = archivePrefix(plan.deploymentName, formatArchiveTimestamp(finishedAt), planned.gitSha);
  try {
    const keys = await archiveAssembly({
      client: s3 ?? new S3Client({ region: planned.region }),
      bucket: planned.bucket,
      expectedBucketOwner: planned.account,
      prefix,
      assemblyDir: plan.assembly,
      policyReportFile: plan.validation?.policyReportFile,
      deployment: {
        environment: plan.deploymentName,
        gitSha: planned.gitSha,
        runId: plan.lock.runId,
        holder: plan.lock.holder,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        stacks: plan.stacks.map((stack) => stack.stackName),
        requireApproval: plan.requireApproval ?? DEFAULT_REQUIRE_APPROVAL,
      },
    });
    log(`core-deploy: archived ${keys.length} files to s3://${planned.bucket}/${prefix}`);
  } catch (error) {
    throw new DeployFailedError(
      `the stacks are deployed, but archiving the assembly to s3://${planned.bucket}/${prefix} failed (${(error as Error).message}); without deployment.json the archive is ignored, so the destructive-change gate keeps comparing with the previous deployment: fix access to the bucket and deploy again`,
      { cause: error },
    );
  }
}
