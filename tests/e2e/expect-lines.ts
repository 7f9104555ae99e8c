import { expect } from '@playwright/test';
import type { ActivityLine } from './captured.ts';

/**
 * The rows of a DESIGN table, in order: activity type and duration in compressed seconds. The
 * durations are real time, so they may differ from the schedule by the browser's latency: a second
 * at most.
 */
export function expectActivity(actual: ActivityLine[], expected: [type: string, seconds: number][]): void {
  expect(actual.map((line) => line.type)).toEqual(expected.map(([type]) => type));
  actual.forEach((line, index) => {
    const seconds = expected[index]![1];
    expect(
      Math.abs(line.duration - seconds),
      `row ${index + 1} (${line.type}) lasted ${line.duration} s, not ${seconds} s`,
    ).toBeLessThanOrEqual(1);
  });
}
