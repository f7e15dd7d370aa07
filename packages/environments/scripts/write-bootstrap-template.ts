// Regenerates the committed bootstrap template from the installed CDK CLI's default template:
// `npm run bootstrap-template -w @core-infra/environments`. A test fails when they differ.
import { writeFileSync } from 'node:fs';
import { BOOTSTRAP_TEMPLATE_FILE } from '../src/bootstrap/bootstrap-template';
import { cdkDefaultBootstrapTemplate, formatBootstrapTemplate } from '../src/bootstrap/default-template';
import { hardenBootstrapTemplate } from '../src/bootstrap/harden-template';

writeFileSync(BOOTSTRAP_TEMPLATE_FILE, formatBootstrapTemplate(hardenBootstrapTemplate(cdkDefaultBootstrapTemplate())));
console.log(`wrote ${BOOTSTRAP_TEMPLATE_FILE}`);
