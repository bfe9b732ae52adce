// A failing execution shows the failed step and its reason, on the graph, the banner and the step's panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, grove, launchBrowser, screenshot, tempHome } from './harness.mjs';

test('a failed step and its reason', { timeout: 120000 }, async () => {
  const home = tempHome();
  grove(home, 'pipeline', 'create', 'examples/abalone.yaml');
  const server = await Server.start(home, '--auth', 'off');
  const { context, close } = await launchBrowser();
  try {
    const page = await context.newPage();
    await page.goto(server.url + '/#/pipelines/abalone');
    await page.getByLabel(/^InputData/).fill('datasets/abalone/no-such-file.csv');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForURL(/#\/executions\/[a-z0-9]+$/);
    const failed = page.locator('.node[data-step="AbaloneProcess"][data-status="Failed"]');
    await failed.waitFor({ timeout: 30000 });
    await page.getByRole('alert').filter({ hasText: 'no such file or directory' }).first().waitFor();
    // Steps after the failure never ran.
    assert.equal(await page.locator('.node[data-step="AbaloneTrain"]').getAttribute('data-status'), 'NotStarted');
    await failed.focus();
    await page.keyboard.press('Enter');  // The graph works by keyboard.
    const panel = page.getByRole('complementary', { name: 'Step AbaloneProcess' });
    await panel.getByText('Failure reason').waitFor();
    assert.match(await panel.locator('.failure').textContent(), /no-such-file\.csv/);
    await screenshot(page, 'failure');
  } finally {
    await close();
    await server.stop();
  }
});
