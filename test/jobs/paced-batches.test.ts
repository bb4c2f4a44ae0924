import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { inPacedBatches } from '../../jobs/base/paced-batches';

describe('paced batches (the worker sharing Redis with the web processes)', () => {
  it('writes every item once, in order, in batches of the pace size, resting in proportion to each batch', async () => {
    const batches: { items: number[]; start: number; end: number }[] = [];
    const items = Array.from({ length: 7 }, (_, i) => i);
    await inPacedBatches(items, { size: 3, restPerBusy: 2 }, async (batch) => {
      const start = performance.now();
      await setTimeout(20);
      batches.push({ items: batch, start, end: performance.now() });
    });

    expect(batches.map((b) => b.items)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    for (let i = 1; i < batches.length; i++) {
      const took = batches[i - 1]!.end - batches[i - 1]!.start;
      // Twice as long, give or take: Node's timers count whole milliseconds from the event loop's
      // cached time, so a pause may end a few milliseconds early; as long as the batch would be half.
      expect(batches[i]!.start - batches[i - 1]!.end).toBeGreaterThan(1.5 * took);
    }
  });

  it('does not wait after the last batch', async () => {
    const started = performance.now();
    await inPacedBatches([1], { size: 3, restPerBusy: 50 }, () => setTimeout(20));
    expect(performance.now() - started).toBeLessThan(500);
  });
});
