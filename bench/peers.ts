// Policy validation of the production app beside its peers, in one process.
//
// The same production stages are synthesized with CDK's built-in CloudFormation validation off and
// one validator each, round by round in rotating order after a warm-up round:
//   synth-only   no validator: synthesis alone;
//   core-cold    the CORE plugin (production profile) with the result cache off;
//   core-warm    the CORE plugin with a result cache primed by the warm-up round;
//   cdk-nag      cdk-nag's AwsSolutions pack (in-process JavaScript rules);
//   stock-guard  @cdklabs/cdk-validator-cfnguard's CfnGuardValidator with its bundled rules.
// A validator that reports violations does not stop the timing: each variant is timed from
// construction to the end of `app.synth()`, whatever the verdict.
//
// Usage: node --conditions=@core-infra/source --import tsx --expose-gc bench/peers.ts --runs 3 --out result.json
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildEnvironmentApp, EnvironmentStage, loadEnvironmentConfig } from '@core-infra/environments';
import { coreAppContext, rulesForProfile } from '@core-infra/policies';

/** The validators compared (see the top of this file). */
export type Peer = 'synth-only' | 'core-cold' | 'core-warm' | 'cdk-nag' | 'stock-guard';
/** All peers, in their base order. */
export const PEERS: readonly Peer[] = ['synth-only', 'core-cold', 'core-warm', 'cdk-nag', 'stock-guard'];

/** Result file of this helper, read by bench/steps/peers.ts. */
export interface PeersResult {
  /** Milliseconds per peer and round: construction plus `app.synth()`. */
  readonly runs: Record<Peer, number[]>;
  /** Rules each peer evaluates. */
  readonly rules: Record<Peer, number>;
  /** Whether the peer's validation passed in the last round (the stock validator and cdk-nag do not know CORE's acknowledgements). */
  readonly passed: Record<Peer, boolean>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

// Counts the distinct rules cdk-nag's pack applies.
const nagRules = new Set<string>();
class CountedAwsSolutionsChecks extends AwsSolutionsChecks {
  protected override applyRule(params: Parameters<AwsSolutionsChecks['applyRule']>[0]): void {
    nagRules.add(params.ruleSuffixOverride ?? params.rule.name);
    super.applyRule(params);
  }
}

function stockGuardRuleCount(): number {
  const root = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.guard')).length;
}

function main(): void {
  const runs = Math.max(1, Number(arg('--runs', '3')));
  const out = arg('--out', '');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'core-bench-peers-'));
  const cacheDir = path.join(scratch, 'policy-cache');
  const passed = {} as Record<Peer, boolean>;

  const synthOnce = (peer: Peer): number => {
    const outdir = mkdtempSync(path.join(scratch, `${peer}-`));
    process.env.CORE_POLICIES_CACHE = peer === 'core-warm' ? 'on' : 'off';
    process.env.CORE_POLICIES_CACHE_DIR = cacheDir;
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    const app = new App({ context: coreAppContext(), autoSynth: false, outdir, builtinCloudFormationValidation: false });
    if (peer === 'cdk-nag') Validations.of(app).addPlugins(new CountedAwsSolutionsChecks());
    if (peer === 'stock-guard') Validations.of(app).addPlugins(new CfnGuardValidator());
    if (peer === 'core-cold' || peer === 'core-warm') {
      buildEnvironmentApp('production', { app });
    } else {
      const config = loadEnvironmentConfig('production');
      new EnvironmentStage(app, config.prefix, { config });
    }
    try {
      app.synth();
      passed[peer] = true;
    } catch {
      passed[peer] = false;
    }
    const ms = performance.now() - start;
    rmSync(outdir, { recursive: true, force: true });
    return ms;
  };

  try {
    // Warm-up round, not recorded: loads modules lazily required on first synth and primes core-warm's cache.
    for (const peer of PEERS) synthOnce(peer);
    const result: PeersResult = {
      runs: { 'synth-only': [], 'core-cold': [], 'core-warm': [], 'cdk-nag': [], 'stock-guard': [] },
      rules: {
        'synth-only': 0,
        'core-cold': rulesForProfile('production').length,
        'core-warm': rulesForProfile('production').length,
        'cdk-nag': nagRules.size,
        'stock-guard': stockGuardRuleCount(),
      },
      passed,
    };
    for (let round = 0; round < runs; round++) {
      const order = PEERS.map((_, i) => PEERS[(i + round) % PEERS.length]);
      for (const peer of order) result.runs[peer].push(synthOnce(peer));
    }
    const json = JSON.stringify(result, null, 2) + '\n';
    if (out) writeFileSync(out, json);
    else process.stdout.write(json);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) main();
