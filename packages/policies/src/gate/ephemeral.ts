import type { Stack } from 'aws-cdk-lib';
import { EPHEMERAL_LIFECYCLE } from './templates';
import { MIN_ACKNOWLEDGEMENT_REASON_LENGTH } from './acknowledgements';

/**
 * Declares a stack ephemeral in its template (`Metadata.CoreInfra: { Lifecycle: ephemeral,
 * Reason }`): the destructive-change gate and the stateful-retention rule (CORE.STATEFUL.1) then
 * exempt it, visibly and with the reason, instead of by a name pattern nobody can see. Use it only
 * for stacks whose every resource may be destroyed, such as review apps.
 *
 * @param stack the stack
 * @param reason why losing everything in it is acceptable
 */
export function declareEphemeralStack(stack: Stack, reason: string): void {
  if (reason.trim().length < MIN_ACKNOWLEDGEMENT_REASON_LENGTH) {
    throw new Error(`reason must say why the stack may lose everything (at least ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters), got "${reason}"`);
  }
  stack.templateOptions.metadata = { ...stack.templateOptions.metadata, CoreInfra: { Lifecycle: EPHEMERAL_LIFECYCLE, Reason: reason } };
}
