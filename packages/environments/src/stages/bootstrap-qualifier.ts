import { BOOTSTRAP_QUALIFIER_CONTEXT, type Stage } from 'aws-cdk-lib';

/**
 * Makes every stack of a stage use the bootstrap qualifier of its environment's config (the
 * synthesizer's roles, asset locations and bootstrap version parameter, and the name of the
 * permissions boundary), by setting CDK's qualifier context on the stage before its stacks exist.
 * Without one, CDK's default `hnb659fds` applies and nothing is set.
 *
 * @param stage the stage, before any stack is added to it
 * @param qualifier the config's `bootstrapQualifier`
 */
export function useBootstrapQualifier(stage: Stage, qualifier: string | undefined): void {
  if (qualifier !== undefined) stage.node.setContext(BOOTSTRAP_QUALIFIER_CONTEXT, qualifier);
}
