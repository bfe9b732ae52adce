// With access control on the console asks for a key, keeps it in the tab's session only, says plainly when a
// key is wrong, and shows only what the key's role may do: a viewer gets no approve button and no start form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, grove, launchBrowser, screenshot, signIn, tempHome } from './harness.mjs';

test('a viewer sees no approve button', { timeout: 120000 }, async () => {
  const home = tempHome();
  grove(home, 'run', 'examples/abalone.yaml');
  const viewer = JSON.parse(grove(home, 'key', 'create', '--role', 'viewer', '--name', 'ada', '--json'));
  const server = await Server.start(home);
  const { context, close } = await launchBrowser();
  try {
    const page = await context.newPage();
    await page.goto(server.url + '/#/registry/AbalonePackageGroup/versions/1');
    await screenshot(page, 'sign-in');
    await signIn(page, 'not-a-key');
    await page.getByRole('alert').filter({ hasText: 'does not know this access key' }).waitFor();

    await signIn(page, viewer.secret_access_key);
    await page.getByText('ada · viewer').waitFor();
    await page.getByText('Pending approval').first().waitFor();
    await page.getByRole('heading', { name: 'Model quality' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Reject' }).count(), 0);
    await page.goto(server.url + '/#/pipelines/abalone');
    await page.getByRole('heading', { name: 'Parameters' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Start execution' }).count(), 0);

    // The secret is in this tab's session storage, nowhere else.
    const stored = await page.evaluate(() => ({ session: Object.values(sessionStorage), local: localStorage.length,
                                                cookie: document.cookie }));
    assert.deepEqual(stored, { session: [viewer.secret_access_key], local: 0, cookie: '' });
    const other = await context.newPage();
    await other.goto(server.url + '/');
    await other.getByLabel('Access key secret').waitFor();
  } finally {
    await close();
    await server.stop();
  }
});
