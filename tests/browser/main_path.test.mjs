// The console's main path, as a user clicks it: sign in, start the Abalone pipeline from its form, watch every
// node of the live graph reach Succeeded, read a step's log, approve the registered version with a comment and
// see the endpoint serve it, reject it and see the endpoint revert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, grove, launchBrowser, screenshot, signIn, tempHome } from './harness.mjs';

test('run, watch, read a log, approve and reject', { timeout: 240000 }, async () => {
  const home = tempHome();
  grove(home, 'run', 'examples/abalone.yaml', '-p', 'ModelApprovalStatus=Approved');
  grove(home, 'endpoint', 'create', 'abalone', '--follow', 'AbalonePackageGroup');
  const server = await Server.start(home);
  const { context, outside, close } = await launchBrowser();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url + '/');
    await signIn(page, server.adminSecret);
    await page.getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('link', { name: 'abalone', exact: true }).click();

    // The form knows each parameter's type, default and allowed values.
    const status = page.getByLabel(/^ModelApprovalStatus/);
    await status.waitFor();
    assert.deepEqual(await status.locator('option').allTextContents(),
                     ['PendingManualApproval', 'Approved', 'Rejected']);
    assert.equal(await page.getByLabel(/^MseThreshold/).getAttribute('type'), 'number');
    assert.equal(await page.getByLabel(/^MseThreshold/).inputValue(), '6');
    await page.locator('.node').first().waitFor();
    await screenshot(page, 'pipeline');
    await page.getByLabel(/^MseThreshold/).fill('7');
    await page.getByRole('button', { name: 'Start execution' }).click();

    // The graph turns green from the event stream alone.
    await page.waitForURL(/#\/executions\/[a-z0-9]+$/);
    const id = /#\/executions\/([a-z0-9]+)/.exec(page.url())[1];
    await page.waitForFunction(() => {
      const nodes = [...document.querySelectorAll('.node')].filter((n) => n.dataset.step !== 'AbaloneMSEFail');
      return nodes.length === 5 && nodes.every((n) => n.dataset.status === 'Succeeded');
    }, null, { timeout: 60000 });
    // The Condition's else branch shows as not taken.
    await page.locator('.node[data-step="AbaloneMSEFail"][data-status="NotTaken"]').waitFor();
    await page.getByText('Succeeded', { exact: true }).first().waitFor();
    const execution = await server.api('GET', '/executions/' + id);
    assert.equal(execution.status, 'Succeeded');
    assert.equal(execution.parameters.MseThreshold, 7);
    await screenshot(page, 'execution');

    // A step's details: arguments, outputs, log.
    await page.locator('.node[data-step="AbaloneTrain"]').click();
    const panel = page.getByRole('complementary', { name: 'Step AbaloneTrain' });
    await panel.getByText('hyperparameters').waitFor();
    await panel.getByRole('button', { name: /model/ }).first().waitFor();
    await panel.getByRole('tab', { name: 'Log' }).click();
    await panel.locator('pre.log', { hasText: 'train-rmse' }).waitFor();
    await screenshot(page, 'step');

    // Approve the new version with a comment; the endpoint picks it up.
    await page.goto(server.url + '/#/registry/AbalonePackageGroup/versions/2');
    await page.getByText('Pending approval').first().waitFor();
    const live = page.locator('.live-version[data-endpoint="abalone"]');
    await live.filter({ hasText: 'AbalonePackageGroup/1' }).waitFor();
    await page.getByLabel('Comment').fill('MSE fine on the holdout');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.page-head .badge', { hasText: 'Approved' }).waitFor();
    await live.filter({ hasText: 'AbalonePackageGroup/2' }).waitFor({ timeout: 10000 });
    await page.locator('.chart-box canvas').first().waitFor();
    await screenshot(page, 'version');
    const approved = await server.api('GET', '/registry/groups/AbalonePackageGroup/versions/2');
    assert.equal(approved.approval_status, 'Approved');
    assert.equal(approved.approval_comment, 'MSE fine on the holdout');

    // Reject it: the endpoint reverts to version 1.
    await page.getByLabel('Comment').fill('drift seen in staging');
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.locator('.page-head .badge', { hasText: 'Rejected' }).waitFor();
    await live.filter({ hasText: 'AbalonePackageGroup/1' }).waitFor({ timeout: 10000 });

    await page.goto(server.url + '/#/endpoints/abalone');
    await page.getByRole('cell', { name: 'AbalonePackageGroup/1' }).waitFor();
    await screenshot(page, 'endpoint');
    await page.goto(server.url + '/#/executions');
    await page.getByRole('link', { name: id }).waitFor();
    await screenshot(page, 'executions');
    await page.goto(server.url + '/#/registry');
    await page.getByRole('link', { name: 'AbalonePackageGroup' }).waitFor();
    await screenshot(page, 'registry');

    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'the console asked another host for something');
  } finally {
    await close();
    await server.stop();
  }
});
