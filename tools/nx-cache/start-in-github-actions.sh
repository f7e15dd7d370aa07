#!/usr/bin/env bash
# Starts the Nx cache server in the background of a GitHub Actions job and hands its URL and a
# fresh bearer token to the job's later steps through $GITHUB_ENV, so the Nx commands that follow
# use the remote cache (docs/guides/remote-cache.md). The step needs the server's settings in its
# environment: NX_CACHE_BUCKET, AWS_REGION, NX_CACHE_PREFIX, optionally NX_CACHE_READ_ONLY_PREFIXES,
# and the AWS credentials of the trust level's cache role.
#
# A cache server that does not start must not fail the job: it warns, prints the server's log,
# and the job runs without the remote cache. The server logs to $RUNNER_TEMP/nx-cache.log and its
# process id is in $RUNNER_TEMP/nx-cache.pid; GitHub stops it when the job ends.
set -euo pipefail

: "${RUNNER_TEMP:?RUNNER_TEMP is not set: run this in a GitHub Actions job}"
: "${GITHUB_ENV:?GITHUB_ENV is not set: run this in a GitHub Actions job}"
url_file="$RUNNER_TEMP/nx-cache.url"
log_file="$RUNNER_TEMP/nx-cache.log"

token=$(node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))")
echo "::add-mask::$token"

NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN="$token" \
  nohup node --import tsx "$(dirname "$0")/start.ts" > "$url_file" 2> "$log_file" &
echo $! > "$RUNNER_TEMP/nx-cache.pid"

# start.ts prints the URL once it listens, or exits with a one-line reason.
for _ in $(seq 150); do
  [ -s "$url_file" ] && break
  kill -0 "$(cat "$RUNNER_TEMP/nx-cache.pid")" 2> /dev/null || break
  sleep 0.1
done
url=$(head -n 1 "$url_file")

if [ -z "$url" ]; then
  echo "::warning title=Nx remote cache::the cache server did not start, so this job runs without the remote cache: $(tail -n 1 "$log_file")"
  cat "$log_file"
  exit 0
fi

{
  echo "NX_SELF_HOSTED_REMOTE_CACHE_SERVER=$url"
  echo "NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=$token"
} >> "$GITHUB_ENV"
echo "Nx remote cache at $url; server log: $log_file"
