// Every case of every rule's tests file runs through `cfn-guard test` with the bundled binary,
// using the same runner platform teams get from @core-infra/testing.
import * as path from 'node:path';
import { describeGuardRules } from '@core-infra/testing';

describeGuardRules(path.join(__dirname, '..', 'rules'));
