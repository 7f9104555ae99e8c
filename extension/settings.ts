import { Type } from '@sinclair/typebox';
import { browser } from 'wxt/browser';
import { compileChecker, firstProblem } from '../shared/validation.ts';
import { referenceAdapter } from './adapters/reference.ts';
import { type AdapterSettings, adapterSettingsSchema } from './adapters/types.ts';

/** Everything an admin can set: on the options page, or for every agent through policy. */
export interface ExtensionSettings {
  /** The Pontual server, e.g. `https://pontual.example.com`; empty: events queue locally. */
  serverUrl: string;
  /** A short-lived code from a supervisor that enrolls this browser with the server. */
  enrollmentCode: string;
  adapter: AdapterSettings;
}

export const DEFAULT_SETTINGS: ExtensionSettings = {
  serverUrl: '',
  enrollmentCode: '',
  adapter: referenceAdapter.defaults,
};

const partialSettings = Type.Partial(
  Type.Object({
    serverUrl: Type.String({ maxLength: 2000 }),
    enrollmentCode: Type.String({ maxLength: 200 }),
    adapter: Type.Partial(adapterSettingsSchema),
  }),
);
const checkPartial = compileChecker(partialSettings);
const checkAdapter = compileChecker(adapterSettingsSchema);

export type SettingsCheck = { ok: true; settings: ExtensionSettings } | { ok: false; error: string };

/** Layers partial settings over the defaults and checks the result, saying what is wrong. */
export function mergeSettings(...layers: unknown[]): SettingsCheck {
  let merged: ExtensionSettings = DEFAULT_SETTINGS;
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (!checkPartial.check(layer)) return { ok: false, error: firstProblem(checkPartial, layer) };
    const partial = layer as Partial<Omit<ExtensionSettings, 'adapter'>> & {
      adapter?: Partial<AdapterSettings>;
    };
    merged = { ...merged, ...partial, adapter: { ...merged.adapter, ...partial.adapter } };
  }
  if (!checkAdapter.check(merged.adapter))
    return { ok: false, error: `adapter${firstProblem(checkAdapter, merged.adapter)}` };
  try {
    new RegExp(merged.adapter.socketUrl);
  } catch {
    return { ok: false, error: `adapter/socketUrl: not a regular expression: ${merged.adapter.socketUrl}` };
  }
  if (merged.serverUrl !== '' && !/^https?:\/\/[^/]+/.test(merged.serverUrl)) {
    return { ok: false, error: `serverUrl: must start with http:// or https:// (got "${merged.serverUrl}")` };
  }
  return { ok: true, settings: { ...merged, serverUrl: merged.serverUrl.replace(/\/+$/, '') } };
}

const LOCAL_KEY = 'settings';
/** The merged settings, published by the background for content scripts (see `loadSettings`). */
const EFFECTIVE_KEY = 'effectiveSettings';

async function managedSettings(): Promise<unknown> {
  try {
    return await browser.storage.managed.get(null);
  } catch {
    return undefined; // no policy store (Firefox without policies, or tests)
  }
}

/**
 * The settings in force: defaults, then what was saved on the options page, then enterprise
 * policy, which wins. A broken layer is skipped rather than leaving the agent uncaptured.
 */
export async function loadSettings(): Promise<ExtensionSettings> {
  const local = (await browser.storage.local.get(LOCAL_KEY))[LOCAL_KEY];
  const managed = await managedSettings();
  for (const layers of [[local, managed], [managed], [local], []]) {
    const merged = mergeSettings(...layers);
    if (merged.ok) return merged.settings;
  }
  return DEFAULT_SETTINGS;
}

/**
 * Publishes the settings in force for the content scripts. Reading the policy store can take
 * seconds just after the browser starts, and an agent's page must not wait that long to be
 * captured: the background reads it, content scripts read this copy.
 */
export async function publishSettings(): Promise<ExtensionSettings> {
  const settings = await loadSettings();
  await browser.storage.local.set({ [EFFECTIVE_KEY]: settings });
  return settings;
}

/** The settings in force as the background last published them (the defaults before that). */
export async function publishedSettings(): Promise<ExtensionSettings> {
  const published = (await browser.storage.local.get(EFFECTIVE_KEY))[EFFECTIVE_KEY];
  const merged = mergeSettings(published);
  return merged.ok ? merged.settings : DEFAULT_SETTINGS;
}

/** Calls back when the admin's or the policy's settings change. */
export function onSettingsChanged(callback: () => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && LOCAL_KEY in changes)) callback();
  });
}

/** Which fields enterprise policy sets (the options page shows them locked). */
export async function policyFields(): Promise<string[]> {
  const managed = (await managedSettings()) as Record<string, unknown> | undefined;
  return managed ? Object.keys(managed) : [];
}

export async function saveSettings(settings: Partial<ExtensionSettings>): Promise<SettingsCheck> {
  const checked = mergeSettings(settings);
  if (checked.ok) await browser.storage.local.set({ [LOCAL_KEY]: settings });
  return checked;
}
