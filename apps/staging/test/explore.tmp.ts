import { App } from 'aws-cdk-lib';
import { coreAppContext } from '@core-infra/policies';
import { buildEnvironmentApp } from '@core-infra/environments';
const [name, outdir] = process.argv.slice(2);
const app = new App({ outdir, context: coreAppContext(), autoSynth: false });
buildEnvironmentApp(name as 'staging', { app });
const t = Date.now();
app.synth();
console.log('synth ms', Date.now() - t);
