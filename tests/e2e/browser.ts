import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from '@playwright/test';

export const EXTENSION_PATH = join(import.meta.dirname, '../../dist/extension/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** What Chromium needs here (root, no GPU) and what keeps it quiet (no updates, no sync, no QUIC). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Chromium as an agent's browser: a fresh profile with the built extension loaded. */
export async function launchAgentBrowser(options: { locale?: string } = {}): Promise<{
  context: BrowserContext;
  background: Worker;
  extensionId: string;
  close(): Promise<void>;
}> {
  const profile = mkdtempSync(join(tmpdir(), 'pontual-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: CHROMIUM,
    ...(options.locale ? { locale: options.locale } : {}),
    args: [
      ...(options.locale ? [`--lang=${options.locale}`] : []),
      `--disable-extensions-except=${EXTENSION_PATH}`,
      `--load-extension=${EXTENSION_PATH}`,
      ...CHROMIUM_ARGS,
    ],
  });
  const background = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(background.url()).host;
  return {
    context,
    background,
    extensionId,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Signs in on the reference attendance screen and waits for the platform's welcome. */
export async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.fill('#username', username);
  await page.fill('#password', 'secret');
  await page.click('#login-button');
  await page.waitForSelector('#connection-state:text("connected")');
}

export async function chooseStatus(page: Page, value: string): Promise<void> {
  await page.selectOption('#status', value);
}
