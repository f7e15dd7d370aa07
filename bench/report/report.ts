// The report printed at the end of a run: the steps, the growth tables and the targets.
import * as path from 'node:path';
import { fmtBytes, fmtKiB, fmtSeconds, fmtStats, type Stats } from '../lib/stats';
import { PEERS } from '../peers';
import { type GrowthResults, type Results, type TargetRow } from '../results';
import { SUPER_LINEAR_FACTOR } from '../steps/growth';
import { VARIANTS } from '../synth-overhead';

const seconds = (x: Stats) => fmtStats(x, fmtSeconds);

/** A plain-text table: columns padded to their widest cell, a dashed rule under the headers. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The rows of the steps table: step, metric, median (min–max). */
function stepRows(results: Results): string[][] {
  const rows: string[][] = [];
  if (results.cold) {
    const c = results.cold;
    rows.push(['1 cold run (no cache)', 'wall', seconds(c.wallMs)]);
    rows.push(['', 'largest process', `${fmtStats(c.peakRss.bytes, fmtBytes)}${c.peakRss.largest ? ` — ${c.peakRss.largest.command}` : ''}`]);
    for (const t of c.tasks) if (t.durationMs) rows.push(['', `  ${t.id}`, seconds(t.durationMs)]);
  }
  if (results.warm) {
    const w = results.warm;
    rows.push(['2 warm run (cache on)', 'wall', seconds(w.wallMs)]);
    rows.push(['', 'cache hits', `${w.cacheHits}${w.allHits ? ' (all)' : ' (NOT all)'}; priming run ${w.primeCacheHits}`]);
  }
  if (results.affected) {
    const a = results.affected;
    rows.push(['3 affected run', 'wall', `${seconds(a.wallMs)}${a.shareOfCold !== undefined ? ` = ${(a.shareOfCold * 100).toFixed(0)} % of cold` : ''}`]);
    rows.push(['', 'tasks that ran', a.tasksRan.join(', ') || '(none)']);
  }
  if (results.overhead) {
    const { inProcess, perProcess } = results.overhead;
    for (const v of VARIANTS) {
      rows.push([v === 'full' ? '4 production synth' : '', `${v}, per process`, `${seconds(perProcess.wallMs[v])} (app ${fmtSeconds(perProcess.synthMs[v].median)}, ${fmtBytes(perProcess.peakRss[v].bytes.max)})`]);
    }
    for (const v of VARIANTS) rows.push(['', `${v}, in one process`, seconds(inProcess.ms[v])]);
    rows.push(['', 'ratio full ÷ synth-only', `${perProcess.ratioAll.toFixed(2)}× per process, ${inProcess.ratioAll.toFixed(2)}× in one process`]);
    rows.push(['', 'ratio full ÷ no-plugin', `${perProcess.ratioPlugin.toFixed(2)}× per process, ${inProcess.ratioPlugin.toFixed(2)}× in one process`]);
  }
  if (results.peers) {
    const p = results.peers;
    for (const peer of PEERS) {
      rows.push([peer === 'synth-only' ? '4b peers, production, one process' : '', peer, `${seconds(p.ms[peer])} = ${p.ratioToSynth[peer].toFixed(2)}× synth-only · ${p.rules[peer]} rules${p.passed[peer] ? '' : ' · reported violations'}`]);
    }
  }
  if (results.tests) {
    const t = results.tests;
    rows.push(['6 npm test', 'cold (no Nx/jest cache)', `${seconds(t.cold.wallMs)}${t.cold.exitCodes.some((c) => c !== 0) ? ` FAILED (exit ${t.cold.exitCodes.join(',')})` : ''}`]);
    rows.push(['', 'warm', `${seconds(t.warm.wallMs)}, cache hits ${t.warm.cacheHits.join(',')}/${t.warm.tasks}${t.warm.exitCodes.some((c) => c !== 0) ? ` FAILED (exit ${t.warm.exitCodes.join(',')})` : ''}`]);
  }
  return rows;
}

/** The growth points, then the marginal cost per interval (and the super-linear flag). */
function growthLines(g: GrowthResults): string[] {
  const out = [
    `5 growth: dev app, synth + validate with N review apps (${g.points[0] ? g.points[0].synthMs.values.length : 0} run(s) per point)`,
    table(
      ['N', 'synth', 'validate', 'total', 'total, warm cache', 'synth RSS', 'stacks', 'resources', 'shared', 'largest stack (resources)', 'largest template'],
      g.points.map((p) => [
        String(p.reviewApps),
        seconds(p.synthMs),
        seconds(p.validateMs),
        seconds(p.totalMs),
        seconds(p.warmTotalMs),
        fmtBytes(p.synthPeakRss.bytes.max),
        String(p.assembly.stacks),
        String(p.assembly.totalResources),
        String(p.assembly.sharedResources),
        `${path.basename(p.assembly.largestStack.template, '.template.json')} (${p.assembly.largestStack.resources}, ${fmtKiB(p.assembly.largestStack.bytes)})`,
        `${fmtKiB(p.assembly.largestTemplate.bytes)}`,
      ]),
    ),
  ];
  if (g.marginal.length > 0) {
    out.push('');
    out.push(
      table(
        ['marginal per review app', 'total', 'synth', 'validate', 'total, warm cache', 'resources', 'largest template'],
        g.marginal.map((m) => [`${m.from}→${m.to}`, fmtSeconds(m.totalMsPerApp), fmtSeconds(m.synthMsPerApp), fmtSeconds(m.validateMsPerApp), fmtSeconds(m.warmTotalMsPerApp), m.resourcesPerApp.toFixed(1), `${m.templateBytesOfLargestStackPerApp >= 0 ? '+' : ''}${m.templateBytesOfLargestStackPerApp.toFixed(0)} B`]),
      ),
    );
    if (g.superLinear) out.push(`SUPER-LINEAR: the last interval costs ${g.growthFactor!.toFixed(2)}× the first per review app (limit ${SUPER_LINEAR_FACTOR}×)`);
  }
  return out;
}

function targetsLines(targets: readonly TargetRow[]): string[] {
  return ['targets', table(['target', 'limit', 'measured', ''], targets.map((t) => [t.target, t.limit, t.measured, t.pass === null ? '-' : t.pass ? 'PASS' : 'MISS']))];
}

/** The report of the steps that ran (empty when none did). */
export function report(results: Results): string {
  const out: string[] = [];
  const rows = stepRows(results);
  if (rows.length > 0) out.push(table(['step', 'metric', 'median (min–max)'], rows));
  if (results.growth) out.push('', ...growthLines(results.growth));
  const targets = results.targets ?? [];
  if (targets.length > 0) out.push('', ...targetsLines(targets));
  return out.join('\n');
}
