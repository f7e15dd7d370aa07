// The dev environment: config, stages and policies all come from @core-infra/environments.
import { runEnvironmentApp } from '@core-infra/environments';

runEnvironmentApp('dev');
