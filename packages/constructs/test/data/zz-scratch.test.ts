import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createTestStack } from '@core-infra/testing';
import { CoreNetwork } from '../../src/network/core-network';
import { PostgresDatabase } from '../../src/data/postgres-database';
test('dump', () => {
  const stack = createTestStack();
  const network = new CoreNetwork(stack, 'Network');
  const topic = new sns.Topic(stack, 'Topic');
  const db = new PostgresDatabase(stack, 'Database', { vpc: network.vpc, alarmTopic: topic, readReplica: true });
  const db2 = new PostgresDatabase(stack, 'DevDatabase', { vpc: network.vpc, scheduledStop: true, multiAz: false, backupRetention: require('aws-cdk-lib').Duration.days(0) });
  db2.createDatabaseUrlSecret(stack, 'Review1234Url', { databaseName: 'core-review-1234' });
  const t = Template.fromStack(stack).toJSON();
  const out: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(t.Resources)) if (!k.startsWith('Network')) out[k] = r;
  require('fs').writeFileSync('/tmp/l3shim/db.json', JSON.stringify(out, null, 1));
});
