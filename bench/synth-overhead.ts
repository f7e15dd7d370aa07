// Validation overhead of the production app, measured in one process.
//
// Three ways of synthesizing the same production stages, alternated round by round so that
// machine noise hits them alike:
//   full        buildEnvironmentApp('production'): the CORE policy plugin (production profile)
//               plus CDK's built-in CloudFormation validation, as `cdk synth` runs it;
//   no-plugin   the same EnvironmentStage built by hand into an App without the CORE plugin
//               (CDK's built-in validation still on);
//   synth-only  no plugin and the built-in validation off (what CDK_VALIDATION=false does):
//               synthesis alone.
// buildEnvironmentApp always registers the plugin (applyCorePolicies), so the variants without
// it use the exported EnvironmentStage and loadEnvironmentConfig instead.
//
// Two modes:
//   --runs N     (in-process) one warm-up round, then N rounds of all three variants in this
//                process: the cost of synthesis and of the plugin once everything is loaded;
//   --variant V  (single) one cold synth of one variant, as a fresh `cdk synth` process pays it
//                (module loading and first-run compilation included); bench/steps/overhead.ts
//                times the whole process.
//
// Usage: node --conditions=@core-infra/source --import tsx --expose-gc bench/synth-overhead.ts --runs 3 --out result.json
//        node --conditions=@core-infra/source --import tsx bench/synth-overhead.ts --variant full --out result.json
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as CdkLib from 'aws-cdk-lib';
import type * as Environments from '@core-infra/environments';
import type * as Policies from '@core-infra/policies';

/** The three ways of synthesizing production (see the top of this file). */
export type Variant = 'full' | 'no-plugin' | 'synth-only';
/** All variants, in their base order. */
export const VARIANTS: readonly Variant[] = ['full', 'no-plugin', 'synth-only'];

/** Result file of a single cold synth (`--variant`). */
export interface SingleResult {
  readonly variant: Variant;
  readonly moduleLoadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
}

/** Result file of this helper, read by bench/steps/overhead.ts. */
export interface OverheadResult {
  /** Time to load aws-cdk-lib and the CORE packages (paid once per process, by every variant). */
  readonly moduleLoadMs: number;
  /** Milliseconds per variant and round: construction plus `app.synth()`. */
  readonly runs: Record<Variant, number[]>;
  /** Construction alone (building the construct tree), per variant and round. */
  readonly constructMs: Record<Variant, number[]>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function main(): void {
  const runs = Math.max(1, Number(arg('--runs', '3')));
  const out = arg('--out', '');
  const single = arg('--variant', '') as Variant | '';
  if (single && !VARIANTS.includes(single)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')}`);
  const loadStart = performance.now();
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded here so the load is timed */
  const { App } = require('aws-cdk-lib') as typeof CdkLib;
  const { coreAppContext } = require('@core-infra/policies') as typeof Policies;
  const env = require('@core-infra/environments') as typeof Environments;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const moduleLoadMs = performance.now() - loadStart;

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'core-bench-overhead-'));
  const synthOnce = (variant: Variant): { totalMs: number; constructMs: number } => {
    const outdir = mkdtempSync(path.join(scratch, `${variant}-`));
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    const app = new App({
      context: coreAppContext(),
      autoSynth: false,
      outdir,
      builtinCloudFormationValidation: variant !== 'synth-only',
    });
    if (variant === 'full') {
      env.buildEnvironmentApp('production', { app });
    } else {
      const config = env.loadEnvironmentConfig('production');
      new env.EnvironmentStage(app, config.prefix, { config });
    }
    const constructed = performance.now();
    app.synth();
    const end = performance.now();
    rmSync(outdir, { recursive: true, force: true });
    return { totalMs: end - start, constructMs: constructed - start };
  };

  const write = (value: unknown): void => {
    const json = JSON.stringify(value, null, 2) + '\n';
    if (out) writeFileSync(out, json);
    else process.stdout.write(json);
  };

  try {
    if (single) {
      const { totalMs, constructMs } = synthOnce(single);
      const result: SingleResult = { variant: single, moduleLoadMs, constructMs, synthMs: totalMs - constructMs };
      write(result);
      return;
    }
    // Warm-up round, not recorded: the first synth also loads aws-cdk-lib's lazily required modules.
    for (const variant of VARIANTS) synthOnce(variant);
    const result: OverheadResult = {
      moduleLoadMs,
      runs: { full: [], 'no-plugin': [], 'synth-only': [] },
      constructMs: { full: [], 'no-plugin': [], 'synth-only': [] },
    };
    for (let round = 0; round < runs; round++) {
      // Rotate the order each round so no variant always runs first (or last) in a round.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const variant of order) {
        const { totalMs, constructMs } = synthOnce(variant);
        result.runs[variant].push(totalMs);
        result.constructMs[variant].push(constructMs);
      }
    }
    write(result);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Run only as a script: the bench steps and report import the types and variant list above.
if (require.main === module) main();
