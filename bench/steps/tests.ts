import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { type CommandResult } from '../lib/measure';
import { cacheSummary } from '../lib/nx';
import { log, npmCommand, WORKSPACE_ROOT } from '../lib/runner';
import { fmtSeconds, stats } from '../lib/stats';
import { type TestsResults } from '../results';
import { type StepContext } from './step';

/** Step 6: `npm test` without the Nx and jest caches, then with them. */
export async function testsStep({ options, runner }: StepContext): Promise<TestsResults> {
  const [npm, npmArgs] = npmCommand();
  const jestCache = path.join(WORKSPACE_ROOT, 'node_modules', '.cache', 'jest');
  const hitsOf = (r: CommandResult): number => cacheSummary(readFileSync(r.logFile, 'utf8'))?.hits ?? -1;
  const cold: CommandResult[] = [];
  for (let i = 1; i <= options.testRuns; i++) {
    rmSync(jestCache, { recursive: true, force: true });
    const r = await runner.run(`tests-cold-${i}`, npm, [...npmArgs, 'test'], { env: { NX_SKIP_NX_CACHE: 'true' }, allowFailure: true });
    log(`npm test cold ${i}/${options.testRuns}: ${fmtSeconds(r.wallMs)} (exit ${r.exitCode})`);
    cold.push(r);
  }
  const warm: CommandResult[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await runner.run(`tests-warm-${i}`, npm, [...npmArgs, 'test'], { allowFailure: true });
    log(`npm test warm ${i}/${options.runs}: ${fmtSeconds(r.wallMs)} (exit ${r.exitCode}, ${hitsOf(r)} cache hits)`);
    warm.push(r);
  }
  const totalTasks = cacheSummary(readFileSync(warm[warm.length - 1].logFile, 'utf8'))?.total ?? -1;
  return {
    cold: { wallMs: stats(cold.map((r) => r.wallMs)), exitCodes: cold.map((r) => r.exitCode), cacheHits: cold.map(hitsOf) },
    warm: { wallMs: stats(warm.map((r) => r.wallMs)), exitCodes: warm.map((r) => r.exitCode), cacheHits: warm.map(hitsOf), tasks: totalTasks },
  };
}
