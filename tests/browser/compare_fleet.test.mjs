// Experiments: two executions side by side with a metric chart. Fleets: a 100-item execution at a glance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Server, grove, launchBrowser, screenshot, tempHome } from './harness.mjs';

test('compare two executions and open a fleet of 100 items', { timeout: 300000 }, async () => {
  const home = tempHome();
  grove(home, 'run', 'examples/abalone.yaml', '-p', 'MseThreshold=7');
  grove(home, 'run', 'examples/abalone.yaml', '-p', 'MseThreshold=5.5');
  const fleetDir = path.join(home, 'fleet-data');
  grove(home, 'datasets', 'make-fleet', '--dims', '100', '--rows', '40', '--out', fleetDir);
  grove(home, 'run', 'tests/browser/testdata/fleet-small.yaml', '-p', 'InputData=' + path.join(fleetDir, 'fleet.csv'));
  const server = await Server.start(home, '--auth', 'off');
  const { context, close } = await launchBrowser();
  try {
    const executions = (await server.api('GET', '/executions')).items;
    const abalone = executions.filter((x) => x.pipeline === 'abalone').map((x) => x.id);
    const fleet = executions.find((x) => x.pipeline === 'fleet-small').id;
    assert.equal(abalone.length, 2);

    const page = await context.newPage();
    await page.goto(server.url + '/#/compare?pipeline=abalone');
    for (const id of abalone) await page.getByRole('checkbox', { name: new RegExp(id) }).check();
    const table = page.locator('table.compare');
    await table.waitFor();
    for (const id of abalone) await table.getByRole('link', { name: id }).waitFor();
    // The parameter that differs is marked; the metrics of each execution are there.
    await table.locator('tr.differs', { hasText: 'MseThreshold' }).waitFor();
    await table.locator('tr', { hasText: 'AbaloneEval.mse' }).waitFor();
    await page.getByLabel('Chart').selectOption('AbaloneEval.rmse');
    await page.locator('.chart-box canvas').waitFor();
    await screenshot(page, 'compare');

    await page.goto(server.url + '/#/executions/' + fleet + '?tab=fleet');
    await page.locator('.tile').first().waitFor();
    assert.equal(await page.locator('.tile').count(), 100);
    assert.equal(await page.locator('.tile.ok').count(), 100);
    await page.getByRole('heading', { name: '100 items' }).waitFor();
    await page.getByLabel('Filter items').fill('DummyDim42');
    assert.equal(await page.locator('.tile').count(), 1);
    await page.getByLabel('Filter items').fill('');
    await screenshot(page, 'fleet');
    // The graph stands one node for each template step, with its items' count.
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.locator('.node[data-step="Train"]', { hasText: '100/100 items' }).waitFor();
  } finally {
    await close();
    await server.stop();
  }
});
