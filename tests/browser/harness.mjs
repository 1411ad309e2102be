// What the browser tests share: the environment tests/CMakeLists.txt sets, Debian's Chromium
// through playwright-core with axe-core, and the real `townhall serve` on a free loopback port.
//
// Environment: TOWNHALL_CLI (the built binary), TOWNHALL_WEB_DIR (web/, for node_modules),
// TOWNHALL_ARTIFACTS (screenshots go here), CHROMIUM (default /usr/bin/chromium).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'

export const cli = process.env.TOWNHALL_CLI
export const webDir = process.env.TOWNHALL_WEB_DIR
export const artifacts = process.env.TOWNHALL_ARTIFACTS
assert.ok(cli && webDir && artifacts, 'TOWNHALL_CLI, TOWNHALL_WEB_DIR and TOWNHALL_ARTIFACTS must be set')

const require = createRequire(path.join(webDir, 'package.json'))
export const { chromium } = require('playwright-core')
export const { AxeBuilder } = require('@axe-core/playwright')

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
// docs/design.md §2.7: never let a tool fetch its own browser; these flags keep Chromium quiet and local.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

// `townhall serve` over `db` on a free port: { server, base } once it says where it listens.
export async function startServer (db, extra = []) {
  const server = spawn(cli, ['serve', '--db', db, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] })
  const base = await new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error('server did not start: ' + out)), 15000)
    server.stdout.on('data', (chunk) => {
      out += chunk
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    })
    server.on('exit', (code) => reject(new Error('server exited with ' + code + ': ' + out)))
  })
  return { server, base }
}

export async function stopServer (server) {
  if (!server) return
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))
}

// launch() gives every run a fresh temporary --user-data-dir.
export async function launchBrowser () {
  fs.mkdirSync(artifacts, { recursive: true })
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

// Fails with every axe-core violation of WCAG 2.2 AA on `page` (needs JavaScript in the page).
export async function expectAccessible (page, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  assert.deepEqual(summary, [], `axe violations on ${label} (${page.url()})`)
}

// Signs in to the staff console at `base` through its sign-in page.
export async function signInToConsole (page, base, name, password) {
  await page.goto(base + '/staff/sign-in')
  await page.fill('#name', name)
  await page.fill('#password', password)
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')])
  assert.match(page.url(), /\/staff$/)
}

// Clicks `selector` and waits for the page it leads to: the navigation's response.
export async function press (page, selector) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(selector)])
  return res
}

// The rule ids of the breaches in a console page's findings table, sorted.
export async function breaches (page) {
  return (await page.locator('#findings + table tbody tr', { has: page.locator('.govuk-tag--red') })
    .locator('td:first-child').allInnerTexts()).sort()
}
