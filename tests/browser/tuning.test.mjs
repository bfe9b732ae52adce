// A tuning execution's trials (the table, and the score against a chosen hyperparameter), and a classification
// model's quality: its curves and confusion matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, grove, launchBrowser, screenshot, tempHome } from './harness.mjs';

test('trials and a classifier version', { timeout: 180000 }, async () => {
  const home = tempHome();
  grove(home, 'run', 'examples/multimodel.yaml', '-p', 'DatasetName=banknote-authentication', '-p', 'MaxTuningJobs=6');
  const server = await Server.start(home, '--auth', 'off');
  const { context, close } = await launchBrowser();
  try {
    const id = (await server.api('GET', '/executions')).items[0].id;
    const trials = (await server.api('GET', '/executions/' + id + '/trials')).items;
    const page = await context.newPage();
    await page.goto(server.url + '/#/executions/' + id);
    await page.getByRole('tab', { name: 'Trials' }).click();
    await page.getByRole('heading', { name: trials.length + ' trials' }).waitFor();
    assert.equal(await page.locator('table.list tbody tr').count(), trials.length);
    await page.locator('tr.best').first().waitFor();  // The best trial is marked.
    const options = await page.getByLabel('Hyperparameter').locator('option').allTextContents();
    assert.ok(options.length > 0);
    await page.getByLabel('Hyperparameter').selectOption(options[options.length - 1]);
    await page.locator('.chart-box canvas').waitFor();
    await screenshot(page, 'trials');

    await page.goto(server.url + '/#/registry/sklearn-multimodel-banknote-authentication/versions/1');
    await page.getByRole('table', { name: 'Confusion matrix' }).waitFor();
    await page.locator('[aria-label="ROC curve"] canvas').waitFor();
    await page.locator('[aria-label="Precision-recall curve"] canvas').waitFor();
    await screenshot(page, 'classifier');
  } finally {
    await close();
    await server.stop();
  }
});
