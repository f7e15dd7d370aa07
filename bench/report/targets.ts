// The targets of the policy-speed work and of the first benchmark, judged against the figures.
import { fmtBytes, fmtSeconds } from '../lib/stats';
import { type Results, type TargetRow } from '../results';
import { SUPER_LINEAR_FACTOR } from '../steps/growth';
import { VARIANTS } from '../synth-overhead';

const TARGETS = {
  warmMs: 3000,
  affectedShare: 0.35,
  /** Production per process: full ÷ synth-only. */
  overheadRatioPerProcess: 1.8,
  /** Production in one process, result cache off: full − synth-only. */
  pluginColdMs: 500,
  /** Production in one process: CORE with a warm cache ÷ cdk-nag's AwsSolutions, both with synth. */
  warmVsCdkNag: 1.3,
  /** Dev app: extra synth + validate per added review app with a warm result cache. */
  reviewAppWarmMs: 415,
  peakRssBytes: 1.5 * 1024 ** 3,
};

/** The largest synth process of any step, and where it ran. */
function largestPeak(results: Results): { bytes: number; where: string } | undefined {
  const peaks: { bytes: number; where: string }[] = [];
  if (results.cold) peaks.push({ bytes: results.cold.peakRss.bytes.max, where: 'cold run' });
  if (results.affected) peaks.push({ bytes: results.affected.peakRss.bytes.max, where: 'affected run' });
  for (const p of results.growth?.points ?? []) peaks.push({ bytes: p.synthPeakRss.bytes.max, where: `dev synth with ${p.reviewApps} review app(s)` });
  if (results.overhead) for (const v of VARIANTS) peaks.push({ bytes: results.overhead.perProcess.peakRss[v].bytes.max, where: `production synth (${v})` });
  return peaks.length > 0 ? peaks.reduce((a, b) => (b.bytes > a.bytes ? b : a)) : undefined;
}

/** One row per target the steps that ran can judge. */
export function targetRows(results: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  if (results.warm) {
    rows.push({ target: 'warm run (all cached)', limit: `≤ ${fmtSeconds(TARGETS.warmMs)}`, measured: `${fmtSeconds(results.warm.wallMs.median)}, hits ${results.warm.cacheHits}`, pass: results.warm.wallMs.median <= TARGETS.warmMs && results.warm.allHits });
  }
  if (results.affected?.shareOfCold !== undefined) {
    rows.push({ target: 'affected run (dev-only change)', limit: `≤ ${TARGETS.affectedShare * 100} % of cold`, measured: `${(results.affected.shareOfCold * 100).toFixed(0)} %`, pass: results.affected.shareOfCold <= TARGETS.affectedShare });
  }
  if (results.overhead) {
    const { perProcess, inProcess } = results.overhead;
    const coldPluginMs = inProcess.ms.full.median - inProcess.ms['synth-only'].median;
    rows.push({ target: 'production, one process, cold cache: full − synth-only', limit: `≤ ${fmtSeconds(TARGETS.pluginColdMs)}`, measured: fmtSeconds(coldPluginMs), pass: coldPluginMs <= TARGETS.pluginColdMs });
    rows.push({ target: 'production, per process: full ÷ synth-only', limit: `≤ ${TARGETS.overheadRatioPerProcess}×`, measured: `${perProcess.ratioAll.toFixed(2)}× (plugin alone ${perProcess.ratioPlugin.toFixed(2)}×)`, pass: perProcess.ratioAll <= TARGETS.overheadRatioPerProcess });
  }
  if (results.peers) {
    const ratio = results.peers.ms['core-warm'].median / results.peers.ms['cdk-nag'].median;
    rows.push({ target: 'production, one process: CORE warm ÷ cdk-nag', limit: `≤ ${TARGETS.warmVsCdkNag}×`, measured: `${ratio.toFixed(2)}× (${fmtSeconds(results.peers.ms['core-warm'].median)} vs ${fmtSeconds(results.peers.ms['cdk-nag'].median)})`, pass: ratio <= TARGETS.warmVsCdkNag });
  }
  const top = largestPeak(results);
  if (top) {
    rows.push({ target: 'peak memory per synth process', limit: `≤ ${fmtBytes(TARGETS.peakRssBytes)}`, measured: `${fmtBytes(top.bytes)} (${top.where})`, pass: top.bytes <= TARGETS.peakRssBytes });
  }
  if (results.growth) {
    const g = results.growth;
    const m = g.marginal;
    const measured = m.length === 0 ? 'n/a (one point)' : m.map((x) => `${x.from}→${x.to}: ${fmtSeconds(x.totalMsPerApp)}/app`).join(', ') + (g.growthFactor !== null ? ` (×${g.growthFactor.toFixed(2)})` : ' (needs 3 points to judge)');
    rows.push({ target: 'marginal cost per review app', limit: `last ≤ ${SUPER_LINEAR_FACTOR}× first`, measured, pass: g.superLinear === null ? null : !g.superLinear });
    if (m.length > 0) {
      const first = m[0].warmTotalMsPerApp;
      rows.push({ target: 'one more review app, warm result cache', limit: `≤ ${fmtSeconds(TARGETS.reviewAppWarmMs)}`, measured: m.map((x) => `${x.from}→${x.to}: ${fmtSeconds(x.warmTotalMsPerApp)}/app`).join(', '), pass: first <= TARGETS.reviewAppWarmMs });
    }
  }
  return rows;
}
