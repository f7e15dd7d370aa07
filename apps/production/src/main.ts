import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';

const app = new App();
const stack = new Stack(app, 'core-production-monitoring', { env: { account: '111111111111', region: 'eu-west-2' } });
new sns.Topic(stack, 'Alerts', { enforceSSL: true });
app.synth();
