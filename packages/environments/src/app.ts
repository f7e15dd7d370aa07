import { App } from 'aws-cdk-lib';
import { applyCorePolicies, coreAppContext } from '@core-infra/policies';
import { ConfigError, loadEnvironmentConfig, loadMetaConfig, parseReviewApps, type EnvironmentName } from './config/load';
import { DevStage, ReviewAppStage } from './stages/dev-stages';
import { EnvironmentStage } from './stages/environment-stage';
import { reviewAppPrefix } from './naming';
import { MetaStage } from './stages/meta-stage';
import { trustedAccountsOf } from './config/trusted-accounts';

/** Context key (`-c reviewApps=1234,1250`) naming the review apps to synthesize. */
export const REVIEW_APPS_CONTEXT = 'reviewApps';

/** Environment variable naming review apps when no context is given. */
export const REVIEW_APPS_ENV = 'CORE_REVIEW_APPS';

/** Context key naming a config override file. */
export const CONFIG_FILE_CONTEXT = 'configFile';

/**
 * Context key (`-c core:firstDeploy=true`) of an environment's first deployment: its stages leave
 * out the request path (the app and edge stacks), whose certificates wait for DNS validation
 * records and whose application reads secrets nobody has set yet. See the first-deploy guide.
 */
export const FIRST_DEPLOY_CONTEXT = 'core:firstDeploy';

/** Options of {@link buildEnvironmentApp}. */
export interface BuildEnvironmentAppOptions {
  /**
   * The app to build into (tests pass one with an outdir).
   *
   * @default - a new App with CORE's feature flags and without the CDK analytics metadata
   */
  readonly app?: App;
  /**
   * The environment's committed config file.
   *
   * @default - `config.yaml` of the app folder ({@link findAppConfig})
   */
  readonly appConfigFile?: string;
  /**
   * Config override file.
   *
   * @default - the `configFile` context value, else `CORE_CONFIG_FILE`, else none
   */
  readonly configFile?: string;
  /**
   * Values overriding the config (tests use this).
   *
   * @default - none
   */
  readonly overrides?: Record<string, unknown>;
  /**
   * Review apps to synthesize (dev only).
   *
   * @default - the `reviewApps` context, else `CORE_REVIEW_APPS`, else the config's sample list
   */
  readonly reviewApps?: readonly number[];
}

/**
 * Builds the CDK app of one environment from its validated config, with the CORE policy plugin
 * registered in the environment's profile. Nothing is synthesized here.
 *
 * @throws ConfigError when the config or the review-app names are invalid
 */
export function buildEnvironmentApp(name: EnvironmentName, options: BuildEnvironmentAppOptions = {}): App {
  // autoSynth off: a failed synth must not be retried at process exit (the retry throws uncaught).
  // analyticsReporting off: the CLI's AWS::CDK::Metadata blob changes with any change and would
  // rewrite every committed baseline, burying the real change in the diff.
  const app = options.app ?? new App({ context: coreAppContext(), autoSynth: false, analyticsReporting: false });
  const configFile = options.configFile ?? (app.node.tryGetContext(CONFIG_FILE_CONTEXT) as string | undefined);
  if (name === 'meta') {
    const config = loadMetaConfig({ appConfigFile: options.appConfigFile, configFile, overrides: options.overrides });
    applyCorePolicies(app, { profile: 'baseline', trustedAccounts: trustedAccountsOf(config) });
    new MetaStage(app, config.prefix, { config });
    return app;
  }
  const firstDeploy = firstDeployFromContext(app);
  const config = loadEnvironmentConfig(name, { appConfigFile: options.appConfigFile, configFile, overrides: options.overrides });
  applyCorePolicies(app, { profile: config.policyProfile, trustedAccounts: trustedAccountsOf(config) });
  if (config.stage !== 'dev') {
    new EnvironmentStage(app, config.prefix, { config, firstDeploy });
    return app;
  }
  // Read before anything is built, so a bad list fails fast and names itself. A first deployment
  // has no review apps: they attach to the shared HTTPS listener, which it leaves out.
  const reviewApps = firstDeploy ? [] : (options.reviewApps ?? reviewAppsFromContext(app) ?? config.reviewApps?.sample ?? []);
  new DevStage(app, config.prefix, { config, firstDeploy });
  for (const reviewApp of reviewApps) {
    new ReviewAppStage(app, reviewAppPrefix(reviewApp), { config, reviewApp });
  }
  return app;
}

function firstDeployFromContext(app: App): boolean {
  const value: unknown = app.node.tryGetContext(FIRST_DEPLOY_CONTEXT);
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new ConfigError(`the ${FIRST_DEPLOY_CONTEXT} context is invalid:`, [
    `${FIRST_DEPLOY_CONTEXT}: must be true or false (got ${JSON.stringify(value)}): pass -c ${FIRST_DEPLOY_CONTEXT}=true for an environment's first deployment, or leave it out`,
  ]);
}

function reviewAppsFromContext(app: App): number[] | undefined {
  const value = app.node.tryGetContext(REVIEW_APPS_CONTEXT) ?? process.env[REVIEW_APPS_ENV];
  if (value === undefined) return undefined;
  return parseReviewApps(Array.isArray(value) ? value.join(',') : String(value));
}

/**
 * Entry point of an environment app: builds and synthesizes it. Invalid configuration prints
 * every problem and sets a non-zero exit code without writing an assembly.
 *
 * @param name the environment
 */
export function runEnvironmentApp(name: EnvironmentName): void {
  let app: App;
  try {
    app = buildEnvironmentApp(name);
    app.synth();
  } catch (error) {
    process.exitCode = 1;
    const message = (error as Error).message;
    if (error instanceof ConfigError) {
      console.error(message);
    } else if (message.startsWith('Validation failed')) {
      // CDK has already printed the full validation report; a stack trace would only bury it.
      console.error(`${name}: synthesis failed policy validation (report above); nothing may be deployed until it passes`);
    } else {
      // Construct props are checked at construction: their messages name the prop and the fix.
      console.error(`${name}: ${message}`);
      if (process.env.CORE_DEBUG) console.error((error as Error).stack);
      else console.error('(set CORE_DEBUG=1 for the stack trace)');
    }
  }
}
