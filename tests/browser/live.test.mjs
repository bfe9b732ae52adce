// Live updates come from the event stream and survive a server restart: the console reconnects, resumes after
// the last event it saw, and shows an execution that ran while it was away and one that runs after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Server, grove, launchBrowser, tempHome } from './harness.mjs';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test('reconnects after a server restart', { timeout: 180000 }, async () => {
  const home = tempHome();
  grove(home, 'pipeline', 'create', 'examples/abalone.yaml');
  const port = await freePort();
  let server = await Server.start(home, '--auth', 'off', '--listen', '127.0.0.1:' + port);
  const { context, close } = await launchBrowser();
  try {
    const page = await context.newPage();
    let polls = 0;
    page.on('request', (r) => { if (/\/api\/v1\/executions(\?|$)/.test(r.url())) ++polls; });
    await page.goto(server.url + '/#/executions');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByText('No executions yet').waitFor();

    await server.stop();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    grove(home, 'run', 'examples/abalone.yaml');  // While the server is down.
    server = await Server.start(home, '--auth', 'off', '--listen', '127.0.0.1:' + port);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 15000 });

    const first = JSON.parse(grove(home, 'execution', 'list', '--json'))[0].id;
    grove(home, 'run', 'examples/abalone.yaml', '-p', 'MseThreshold=9');
    const second = JSON.parse(grove(home, 'execution', 'list', '--json'))[0].id;
    assert.notEqual(first, second);
    await page.getByRole('link', { name: second }).waitFor({ timeout: 10000 });
    await page.getByRole('link', { name: first }).waitFor();
    // The list reloaded because events arrived, not on a timer: a handful of reads, not one a second.
    assert.ok(polls <= 6, `the executions list was read ${polls} times`);
  } finally {
    await close();
    await server.stop();
  }
});
