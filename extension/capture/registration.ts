import { browser } from 'wxt/browser';
import { referenceAdapter } from '../adapters/reference.ts';

const PREFIX = 'pontual-configured-';

/**
 * Patterns the admin configured beyond the ones the manifest's content scripts already cover.
 * Those need their host permission granted (the options page asks on save) and a runtime
 * registration of both capture scripts.
 */
export function patternsToRegister(configured: readonly string[]): string[] {
  const builtIn = new Set(referenceAdapter.defaults.matches);
  return [...new Set(configured)].filter((pattern) => !builtIn.has(pattern));
}

/** Registers the capture scripts for the configured patterns this browser has granted. */
export async function syncContentScripts(configured: readonly string[]): Promise<string[]> {
  const wanted: string[] = [];
  for (const pattern of patternsToRegister(configured)) {
    if (await browser.permissions.contains({ origins: [pattern] })) wanted.push(pattern);
  }
  const existing = (await browser.scripting.getRegisteredContentScripts())
    .map((script) => script.id)
    .filter((id) => id.startsWith(PREFIX));
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: existing });
  if (wanted.length === 0) return wanted;
  await browser.scripting.registerContentScripts([
    // Same order as the manifest: the isolated script, then the page-world hook.
    {
      id: `${PREFIX}attendance`,
      js: ['content-scripts/attendance.js'],
      matches: wanted,
      runAt: 'document_start',
    },
    {
      id: `${PREFIX}page-hook`,
      js: ['content-scripts/page-hook.js'],
      matches: wanted,
      runAt: 'document_start',
      world: 'MAIN',
    },
  ]);
  return wanted;
}
