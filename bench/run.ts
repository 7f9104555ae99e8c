import { join } from 'node:path';
import { benchActivity } from './activity.ts';
import { benchAttendance } from './attendance.ts';
import { benchAttendancePwa } from './attendance-pwa.ts';
import { benchCapture, benchPaint } from './capture.ts';
import { benchCliMessages } from './cli-messages.ts';
import { benchCsvImport, benchCsvImportBrowser } from './csv-import.ts';
import { benchFiles } from './files.ts';
import { benchPwa } from './pwa.ts';
import { benchPwaSync } from './pwa-sync.ts';
import { benchServer } from './server.ts';
import { benchWebhookIngest } from './webhook-ingest.ts';
import { benchWebhookMapping } from './webhook-mapping.ts';
import { benchWebhooks } from './webhooks.ts';

/** `npm run bench [-- section…]`: prints the figures the issues ask for. */
const SECTIONS: Record<string, () => Promise<void>> = {
  activity: () => benchActivity(join(import.meta.dirname, 'out')),
  attendance: benchAttendance,
  /** Issue 12's attendance-history through the PWA's report worker in Chromium. */
  'attendance-pwa': benchAttendancePwa,
  cli: () => benchCliMessages(join(import.meta.dirname, 'out')),
  files: benchFiles,
  capture: benchCapture,
  paint: benchPaint,
  server: benchServer,
  pwa: () => benchPwa(),
  /** Only issue 11's message reports of the `pwa` section. */
  'pwa-messages': () => benchPwa(['messages']),
  'pwa-sync': benchPwaSync,
  webhook: async () => {
    await benchWebhookMapping();
    await benchWebhookIngest();
  },
  'webhook-ingest': benchWebhookIngest,
  'csv-import': benchCsvImport,
  'csv-import-browser': benchCsvImportBrowser,
  webhooks: benchWebhooks,
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(SECTIONS)) {
  const section = SECTIONS[name];
  if (!section)
    throw new Error(`unknown bench section "${name}" (one of: ${Object.keys(SECTIONS).join(', ')})`);
  console.log(`\n## ${name}`);
  await section();
}
