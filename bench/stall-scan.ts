/**
 * Issue 4's figure: the daily stall scan over 100,000 projects and 400,000 milestones — the first
 * scan, which opens every episode and records the owners' notices with their cards, and the next
 * day's, which finds the same stalls and moves no ladder — with the peak RSS of the process.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../db/store';
import { dateInZone } from '../domain/calendar-date';
import { scanAtScale } from '../test/support/scan-at-scale';
import { MILESTONES_PER_PROJECT, seedPipeline } from './seed-pipeline';
import { ms } from './stats';

export async function measureStallScan(options: { store: Store; projects: number }) {
  const { store } = options;
  // A working Wednesday, so that notices go out.
  let now = Date.parse('2026-11-25T09:00:00+08:00');
  const clock = () => now;
  await seedPipeline(store, { projects: options.projects, today: dateInZone(now, 'Asia/Shanghai'), now, activitySpreadDays: 20, firstDueInDays: -10 });
  const escalations = scanAtScale(store, clock);
  const firstStart = performance.now();
  const cpuBefore = process.cpuUsage();
  const first = await escalations.scan();
  const firstMs = performance.now() - firstStart;
  // The process's own CPU time (all its threads): where the wall time is the database's, this is not.
  const firstCpu = process.cpuUsage(cpuBefore);
  const firstQueued = escalations.queued();
  now += 86_400_000;
  const nextStart = performance.now();
  const next = await escalations.scan();
  const nextMs = performance.now() - nextStart;
  return {
    projects: options.projects,
    milestones: options.projects * MILESTONES_PER_PROJECT,
    first,
    firstMs,
    firstCpuMs: (firstCpu.user + firstCpu.system) / 1000,
    next,
    nextMs,
    notices: firstQueued,
    rssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

export function formatStallScan(r: Awaited<ReturnType<typeof measureStallScan>>) {
  return [
    `stall scan over ${r.projects} projects / ${r.milestones} milestones (${r.first.stalledProjects} stalled):`,
    `  first scan ${ms(r.firstMs)} (opened ${r.first.opened} episodes, ${r.notices} notices; the process's CPU ${ms(r.firstCpuMs)})   next day ${ms(r.nextMs)} (opened ${r.next.opened}, notices ${r.next.notices})`,
    `  peak RSS of its process ${r.rssMiB.toFixed(0)} MiB`,
  ].join('\n');
}
