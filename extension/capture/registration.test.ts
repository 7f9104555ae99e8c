import { describe, expect, it } from 'vitest';
import { patternsToRegister } from './registration.ts';

describe('patternsToRegister', () => {
  it('keeps only configured patterns the manifest does not already cover, once each', () => {
    expect(
      patternsToRegister(['http://127.0.0.1/*', 'https://app.example.com/*', 'https://app.example.com/*']),
    ).toEqual(['https://app.example.com/*']);
    expect(patternsToRegister(['http://localhost/*'])).toEqual([]);
  });
});
