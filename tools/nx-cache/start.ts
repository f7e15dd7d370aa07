/**
 * Starts the Nx cache server and prints its URL on the first line of stdout once it listens;
 * runs until SIGINT or SIGTERM. Settings come from environment variables (see `settings.ts` and
 * docs/guides/remote-cache.md); a missing one ends it with exit code 1 and a one-line message
 * naming the variable and the fix.
 *
 * @example
 * NX_CACHE_BUCKET=core-meta-nx-cache-123456789012 NX_CACHE_PREFIX=main AWS_REGION=eu-west-2 \
 *   NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=$(openssl rand -hex 32) \
 *   node --import tsx tools/nx-cache/start.ts
 */
import { startNxCacheServer } from './server';
import { type NxCacheSettings, NxCacheSettingsError, readNxCacheSettings } from './settings';

async function main(): Promise<void> {
  let settings: NxCacheSettings;
  try {
    settings = readNxCacheSettings(process.env);
  } catch (error) {
    if (!(error instanceof NxCacheSettingsError)) throw error;
    console.error(`nx-cache: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const server = await startNxCacheServer(settings);
  console.log(server.url);
  const readFrom = [settings.writePrefix, ...settings.readOnlyPrefixes].map((prefix) => `${prefix}/`).join(', ');
  console.error(`nx-cache: serving s3://${settings.bucket} at ${server.url}: writes ${settings.writePrefix}/, reads ${readFrom}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  console.error(`nx-cache: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
