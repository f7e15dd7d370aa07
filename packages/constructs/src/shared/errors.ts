import { ValidationError } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The error a construct throws when its props cannot be built: an aws-cdk-lib
 * `ValidationError`, so the CDK CLI and `Errors.isValidationError()` treat it like CDK's own,
 * whose message starts with the construct path. A reader of the message knows which of
 * several constructs of the same kind is wrong before reading what is wrong with it.
 *
 * @param scope the construct whose props are invalid
 * @param message what is wrong, naming the prop, the value and the fix
 * @returns the error to throw
 *
 * @example
 * throw propsError(this, `numCacheClusters must be 2 or more with multiAz, got ${n}`);
 */
export function propsError(scope: IConstruct, message: string): ValidationError {
  return new ValidationError(PROPS_ERROR_NAME, `${scope.node.path}: ${message}`, scope);
}

/** The error name of every {@link propsError}, as aws-cdk-lib's branded literal-string type. */
const PROPS_ERROR_NAME = 'CoreInvalidProps' as ConstructorParameters<typeof ValidationError>[0];
