import { DeployInputError } from '../deploy/errors';

/**
 * Raised before anything is bootstrapped when the environment, its config or its assembly
 * cannot be bootstrapped as asked: an account outside the environment, a resource type the
 * execution policy cannot cover, a template older than the stacks require. The CLI exits 2.
 */
export class BootstrapInputError extends DeployInputError {
  /**
   * @param message what is wrong, the value found and how to fix it
   */
  constructor(message: string) {
    super(message);
    this.name = 'BootstrapInputError';
  }
}
