/**
 * Exit codes of `core-deploy`: 0 done (or planned), 1 the deployment failed or was refused by
 * the deploy lock, 2 bad usage or an assembly that may not be deployed (nothing was touched).
 */
export const DEPLOY_EXIT_CODES = {
  /** Deployed, or planned in a dry run. */
  ok: 0,
  /** A deploy, lock, archive or release step failed. */
  failed: 1,
  /** Bad usage or an assembly that may not be deployed; nothing was touched. */
  usage: 2,
} as const;

/**
 * Raised before anything is deployed when the command line, the configuration or the cloud
 * assembly cannot be used: an unknown option value, an unreadable assembly, a missing policy
 * run record, a failed validation, placeholder accounts. Its message is one line that names
 * the field, the value found and the fix; the CLI exits 2.
 */
export class DeployInputError extends Error {
  /**
   * @param message what is wrong, the value found and how to fix it
   */
  constructor(message: string) {
    super(message);
    this.name = 'DeployInputError';
  }
}

/**
 * Raised when a deployment that was allowed to start did not complete: the deploy lock is held
 * by someone else, `cdk deploy` failed, or the archive or lock release failed afterwards. The
 * CLI exits 1.
 */
export class DeployFailedError extends Error {
  /**
   * @param message what failed and what to do next
   * @param options `cause`: the underlying error, when there is one
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployFailedError';
  }
}
