import { chooseStatus, signIn } from './browser.ts';
import { expect, test } from './fixtures.ts';
import { readOutbox } from './outbox.ts';

test('probe: NUL reason', async ({ attendance, agent }) => {
  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha');
  await page.evaluate(() => {
    const select = document.querySelector('#status') as HTMLSelectElement;
    for (const value of ['break:Lunch\u0000x', 'break:Tea\ud800']) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value;
      select.append(option);
    }
  });
  await chooseStatus(page, 'break:Lunch\u0000x');
  await chooseStatus(page, 'break:Coffee');
  const popup = await agent.context.newPage();
  await popup.goto(`chrome-extension://${agent.extensionId}/popup.html`);
  await expect.poll(async () => (await readOutbox(popup)).marks[0], { timeout: 8000 }).toBeGreaterThan(2).catch(() => {});
  const events = await popup.evaluate(() => new Promise<unknown[]>((resolve) => {
    const open = indexedDB.open('pontual-capture');
    open.onsuccess = () => { const r = open.result.transaction('events').objectStore('events').getAll(); r.onsuccess = () => resolve(r.result); };
  }));
  console.log('STORED', JSON.stringify(events.map((e: any) => [e.type, e.status, e.reason])));
});
