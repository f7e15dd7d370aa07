import * as path from 'node:path';
import { log } from '../lib/runner';
import { fmtSeconds, stats, type Stats } from '../lib/stats';
import { PEERS, type Peer, type PeersResult } from '../peers';
import { type PeersResults } from '../results';
import { type StepContext } from './step';

const PEERS_HELPER = path.join(__dirname, '..', 'peers.ts');

/** Step 4b: production in one process with CORE beside cdk-nag and the stock cfn-guard validator. */
export async function peersStep({ options, runner }: StepContext): Promise<PeersResults> {
  const { output: peers } = await runner.helper<PeersResult>('peers', PEERS_HELPER, ['--runs', String(options.runs)], { exposeGc: true });
  const ms = Object.fromEntries(PEERS.map((p) => [p, stats(peers.runs[p])])) as Record<Peer, Stats>;
  const ratioToSynth = Object.fromEntries(PEERS.map((p) => [p, ms[p].median / ms['synth-only'].median])) as Record<Peer, number>;
  log(`peers in one process: ${PEERS.map((p) => `${p} ${fmtSeconds(ms[p].median)}`).join(', ')}`);
  return { ms, rules: peers.rules, passed: peers.passed, ratioToSynth };
}
