import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { environmentConfigJsonSchema, metaConfigJsonSchema } from '../../src/config/json-schema';

describe('JSON Schemas of the config files', () => {
  test.each([
    ['environment-config.schema.json', environmentConfigJsonSchema],
    ['meta-config.schema.json', metaConfigJsonSchema],
  ])('committed %s matches the zod schema (regenerate with npm run schemas)', (file, generate) => {
    const committed = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'schema', file), 'utf8'));
    expect(committed).toEqual(generate());
  });

  test('the environment schema forbids unknown keys and documents fields', () => {
    const schema = environmentConfigJsonSchema() as { additionalProperties: boolean; properties: Record<string, { description?: string }> };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.account.description).toMatch(/account id/);
  });
});
