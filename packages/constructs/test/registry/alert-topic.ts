import { type Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EncryptionKey } from '../../src/security/encryption-key';

/**
 * An alert topic like the monitoring tier's: encrypted with a customer-managed key that
 * EventBridge may use to publish.
 */
export function encryptedAlertTopic(stack: Stack): sns.Topic {
  const key = new EncryptionKey(stack, 'AlertTopicKey', { description: 'Encrypts the alert topic' });
  key.allowServiceToPublish('events.amazonaws.com');
  return new sns.Topic(stack, 'AlertTopic', { masterKey: key.key, enforceSSL: true });
}
