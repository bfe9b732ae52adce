// What the console's browser tests share: a `grove server` on a data folder of its own, and Debian's chromium
// driven by playwright-core (installed with the console's npm packages; no browser is downloaded).
//   GROVE_BINARY       the grove executable (default: build/grove of this checkout)
//   GROVE_SOURCE_DIR   the checkout (examples and data sets are read relative to it)
//   GROVE_CHROMIUM     the browser (default /usr/bin/chromium)
//   GROVE_SCREENSHOTS  where screenshots go (default ./console-screenshots)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const SOURCE_DIR = process.env.GROVE_SOURCE_DIR ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GROVE = process.env.GROVE_BINARY || path.join(SOURCE_DIR, 'build/grove');
const require = createRequire(path.join(SOURCE_DIR, 'src/web/package.json'));
const { chromium } = require('playwright-core');

export const SCREENSHOTS = path.resolve(process.env.GROVE_SCREENSHOTS || 'console-screenshots');

// Runs a grove command on `home`; returns its stdout.
export function grove(home, ...args) {
  return execFileSync(GROVE, ['--home', home, ...args], { cwd: SOURCE_DIR, encoding: 'utf8', timeout: 600000 });
}

export function tempHome(prefix = 'grove-browser-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class Server {
  static async start(home, ...args) {
    const server = new Server();
    server.home = home;
    server.log = '';
    const listen = args.includes('--listen') ? [] : ['--listen', '127.0.0.1:0'];
    server.process = spawn(GROVE, ['--home', home, 'server', ...listen, ...args],
                           { cwd: SOURCE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d) => { server.log += d.toString(); };
    server.process.stdout.on('data', onData);
    server.process.stderr.on('data', onData);
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const match = /listening on (http:\/\/[^ ]+)/.exec(server.log);
      if (match) {
        server.url = match[1];
        break;
      }
      if (server.process.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!server.url) throw new Error('grove server did not start: ' + server.log);
    const keyFile = path.join(home, 'admin-key.json');
    if (fs.existsSync(keyFile)) server.adminSecret = JSON.parse(fs.readFileSync(keyFile, 'utf8')).secret_access_key;
    return server;
  }

  async api(method, route, body, secret = this.adminSecret) {
    const headers = { 'Content-Type': 'application/json' };
    if (secret) headers.Authorization = 'Bearer ' + secret;
    const response = await fetch(this.url + '/api/v1' + route, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  async stop() {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((r) => this.process.once('exit', r));
    this.process.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20000))]);
    if (this.process.exitCode === null) this.process.kill('SIGKILL');
  }
}

export async function launchBrowser() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grove-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.GROVE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  // Any request to another host is a failure: the console must load nothing from outside.
  const outside = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) {
      outside.push(request.url());
    }
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, outside, close };
}

export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name + '.png'), fullPage: true });
}

// Signs in on the console's key form when the server asks for a key.
export async function signIn(page, secret) {
  await page.getByLabel('Access key secret').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
