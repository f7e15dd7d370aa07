/**
 * Error raised when the destructive-change gate cannot run on its input: a missing folder, an
 * assembly without `manifest.json`, an unreadable template or an invalid acknowledgement file.
 *
 * The message is one line that names the file or field, the value and the fix; the CLI prints it
 * as is and exits with code 2.
 */
export class GateInputError extends Error {
  /**
   * @param message one line naming what is wrong and how to fix it
   */
  constructor(message: string) {
    super(message);
    this.name = 'GateInputError';
  }
}
