// The web console in Debian's chromium (playwright-core), against a grove server on a data folder of its own:
//   1. First meaningful paint of the executions page (the list drawn), from navigation start, empty cache:
//      goal under 1 s. Beside it: first contentful paint, and the shipped first page's size (goal <= 300 KB gz).
//   2. The 1,000-item fleet view: from clicking its tab to 1,000 tiles painted; goal under 300 ms.
//   3. A live graph under load: a fleet execution of 1,000 items (2,000 steps, ~4,000 state changes) watched
//      from its page; the rate of step changes, the events the page received against those in the log, and
//      whether the page's final state equals the server's without a reload.
// Usage: node bench/console_bench.mjs [build-dir] [runs]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = path.resolve(root, process.argv[2] || 'build');
const runs = Number(process.argv[3] || 2);
process.env.GROVE_BINARY = process.env.GROVE_BINARY || path.join(build, 'grove');
process.env.GROVE_SOURCE_DIR = root;
const { Server, grove, launchBrowser, tempHome } = await import(path.join(root, 'tests/browser/harness.mjs'));

const home = tempHome('grove-console-bench-');
const fleetDir = path.join(home, 'fleet-data');
grove(home, 'datasets', 'make-fleet', '--dims', '1000', '--rows', '30', '--out', fleetDir);
for (let i = 0; i < 3; ++i) grove(home, 'run', 'examples/abalone.yaml', '-p', 'MseThreshold=' + (6 + i));
const input = path.join(fleetDir, 'fleet.csv');
let t = Date.now();
grove(home, 'run', 'tests/browser/testdata/fleet-small.yaml', '-p', 'InputData=' + input, '-p', 'NumRound=1');
console.log(`setup: a 1,000-item fleet execution (grove run) took ${((Date.now() - t) / 1000).toFixed(1)} s`);
const server = await Server.start(home, '--auth', 'off');
const size = JSON.parse(fs.readFileSync(path.join(build, 'web/size.json'), 'utf8'));
console.log(`console: first page ${(size.first_page_gzip_bytes / 1024).toFixed(1)} KB gzipped ` +
            `(${(size.first_page_bytes / 1024).toFixed(1)} KB raw); goal <= 300 KB gzipped`);
const fleetId = (await server.api('GET', '/executions?pipeline=fleet-small')).items[0].id;

try {
  for (let run = 1; run <= runs; ++run) {
    const { context, close } = await launchBrowser();
    const page = await context.newPage();
    await page.goto(server.url + '/#/executions');
    await page.waitForFunction(() => performance.getEntriesByName('grove:executions').length > 0);
    const paint = await page.evaluate(() => ({
      meaningful: performance.getEntriesByName('grove:executions')[0].startTime,
      contentful: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
    }));
    console.log(`run ${run}: executions page: first meaningful paint ${paint.meaningful.toFixed(0)} ms ` +
                `(goal < 1000 ms), first contentful paint ${paint.contentful.toFixed(0)} ms; empty cache`);

    await page.goto(server.url + '/#/executions/' + fleetId);
    await page.locator('.node[data-step="Train"]').waitFor({ timeout: 60000 });
    const fleetMs = await page.evaluate(() => new Promise((resolve) => {
      const start = performance.now();
      [...document.querySelectorAll('[role=tab]')].find((b) => b.textContent === 'Fleet').click();
      const check = () => {
        if (document.querySelectorAll('.tile').length === 1000) {
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));  // After paint.
        } else requestAnimationFrame(check);
      };
      check();
    }));
    console.log(`run ${run}: 1,000-item fleet view rendered in ${fleetMs.toFixed(0)} ms (goal < 300 ms)`);

    // A live execution: the same 1,000 items again without the cache, watched from its page.
    const started = await server.api('POST', '/executions', {
      pipeline: 'fleet-small', parameters: { InputData: input, NumRound: 1 + run } });
    await page.goto(server.url + '/#/executions/' + started.id + '?tab=fleet');
    await page.waitForFunction(() => window.__groveEvents !== undefined);
    const seenBefore = await page.evaluate(() => window.__groveEvents.events);
    t = Date.now();
    await page.waitForFunction(() => document.querySelectorAll('.tile.ok').length === 1000 &&
      [...document.querySelectorAll('.badge')].some((b) => b.textContent === 'Succeeded'), null, { timeout: 600000 });
    const seconds = (Date.now() - t) / 1000;
    const execution = await server.api('GET', '/executions/' + started.id);
    // Each step run changes state twice (Executing, then its end), the execution twice (created, ended).
    let runs = 0;
    let token = '';
    do {
      const page = await server.api('GET', '/executions/' + started.id + '/steps?limit=1000' +
                                    (token ? '&page_token=' + encodeURIComponent(token) : ''));
      runs += page.items.length;
      token = page.next_page_token || '';
    } while (token);
    const events = 2 * runs + 2;
    const seen = (await page.evaluate(() => window.__groveEvents.events)) - seenBefore;
    const graphOk = await page.evaluate(() => document.querySelectorAll('.tile.ok').length);
    console.log(`run ${run}: live fleet: ${events} events (${runs} step runs) in ${(execution.duration_ms / 1000).toFixed(1)} s ` +
                `(${(events / (execution.duration_ms / 1000)).toFixed(0)} state changes a second; goal: keep up with 100 a ` +
                `second); the page received ${seen}, showed ${graphOk}/1000 items succeeded with no reload, ` +
                `${seconds.toFixed(1)} s after it opened`);
    await close();
  }
} finally {
  await server.stop();
  fs.rmSync(home, { recursive: true, force: true });
}
