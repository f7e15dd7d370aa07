// Regenerates the committed JSON Schemas of the config files: `npm run schemas -w @core-infra/environments`.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { environmentConfigJsonSchema, metaConfigJsonSchema } from '../src/config/json-schema';

const dir = path.join(__dirname, '..', 'schema');
writeFileSync(path.join(dir, 'environment-config.schema.json'), JSON.stringify(environmentConfigJsonSchema(), null, 2) + '\n');
writeFileSync(path.join(dir, 'meta-config.schema.json'), JSON.stringify(metaConfigJsonSchema(), null, 2) + '\n');
console.log(`wrote JSON Schemas to ${dir}`);
