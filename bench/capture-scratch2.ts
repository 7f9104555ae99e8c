import { launchBenchBrowser } from './capture-browser.ts';
import { startFrameServer, traceFrames, frameKind } from './capture-frames.ts';
const server = await startFrameServer();
for (const ext of [false, true]) {
  const b = await launchBenchBrowser(ext);
  const page = await b.context.newPage();
  await page.goto(server.url);
  await page.evaluate('ready');
  await page.evaluate('runFrames(2000)');
  for (let r = 0; r < 2; r++) {
  const costs = await traceFrames(page, 10000);
  if (typeof costs === 'string') { console.log(costs); continue; }
  const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return [s[s.length >> 1], s[Math.floor(s.length * 0.99)]]; };
  console.log(ext, 'taskCpu', med(costs.map((c) => c.taskCpu)), 'taskWall', med(costs.map((c) => c.taskWall)), 'hookCpu', med(costs.map((c) => c.hookCpu)), 'hookWall', med(costs.map((c) => c.hookWall)));
  for (const k of ['other', 'status-same', 'status-change']) console.log(k, med(costs.filter((_, i) => frameKind(i) === k).map((c) => c.hookCpu)), med(costs.filter((_, i) => frameKind(i) === k).map((c) => c.taskCpu)));
  }
  await b.close();
}
await server.close();
