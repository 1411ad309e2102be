// Browser tests of the staff console: the real `townhall serve` over a temporary demo database and
// a staff account made with `townhall users add --password-stdin`, driven by Debian's Chromium
// through playwright-core with JavaScript on and off, axe-core checking every console page type
// against WCAG 2.2 AA. Screenshots go to TOWNHALL_ARTIFACTS (staff-*.png).
//
// Environment (set by tests/CMakeLists.txt): TOWNHALL_CLI, TOWNHALL_WEB_DIR, TOWNHALL_ARTIFACTS,
// CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cli, artifacts, AxeBuilder, WCAG_TAGS, startServer, stopServer, launchBrowser } from './harness.mjs'

const PASSWORD = 'a long console password'

let tmp, db, server, base, browser

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'townhall-staff-'))
  db = path.join(tmp, 'townhall.db')
  execFileSync(cli, ['demo', 'seed', '--db', db], { encoding: 'utf8' })
  for (const [role, username] of [['officer', 'olivia'], ['governance', 'gwen']]) {
    execFileSync(cli, ['users', 'add', '--db', db, '--role', role, '--name', username + ' (browser test)',
      '--username', username, '--email', username + '@example.gov.uk', '--password-stdin'],
    { input: PASSWORD + '\n', encoding: 'utf8' })
  }
  ;({ server, base } = await startServer(db))
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  await stopServer(server)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

async function expectAccessibleWithAxe (page, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  assert.deepEqual(summary, [], `axe violations on ${label} (${page.url()})`)
}

async function signIn (page, name, password) {
  await page.goto(base + '/staff/sign-in')
  await page.fill('#name', name)
  await page.fill('#password', password)
  return Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]).then(([res]) => res)
}

// The officer's journey; axe needs JavaScript in the page, so it runs only when that is on.
async function officerJourney (javaScriptEnabled) {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled })
  const page = await context.newPage()
  const expectAccessible = javaScriptEnabled ? expectAccessibleWithAxe : async () => {}
  const shot = javaScriptEnabled ? (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true }) : async () => {}
  await page.goto(base + '/staff')
  assert.match(page.url(), /\/staff\/sign-in$/)
  await expectAccessible(page, 'sign-in')
  await shot('staff-sign-in.png')

  const wrong = await signIn(page, 'olivia', 'not the password')
  assert.equal(wrong.status(), 422)
  assert.equal(await page.locator('.govuk-error-summary').count(), 1)
  await expectAccessible(page, 'sign-in with an error')

  await signIn(page, 'OLIVIA@example.gov.uk', PASSWORD)
  assert.match(page.url(), /\/staff$/)
  const cookie = (await context.cookies()).find((c) => c.name === 'th_staff')
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict' && cookie.path === '/staff', JSON.stringify(cookie))
  assert.ok((await page.locator('main').innerText()).includes('C-MIN'))
  await expectAccessible(page, 'consultations list')
  await shot('staff-consultations.png')

  // The demo's draft breaches C-MIN: scheduling it is refused, naming the rule.
  await page.locator('tr', { hasText: 'Draft' }).locator('a').first().click()
  assert.match(page.url(), /\/staff\/consultations\/c-\d+$/)
  await expectAccessible(page, 'consultation')
  const refused = await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Schedule")')])
  assert.equal(refused[0].status(), 409)
  assert.ok((await page.locator('.govuk-error-summary').innerText()).includes('C-MIN'))
  await expectAccessible(page, 'consultation with a refused step')
  await shot('staff-consultation-refused.png')

  await page.goto(base + '/staff/sessions')
  assert.ok((await page.locator('main').innerText()).includes('This browser'))
  await expectAccessible(page, 'sessions')
  await shot('staff-sessions.png')

  await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/sign-out"] button')])
  assert.match(page.url(), /\/staff\/sign-in\?signed-out$/)
  assert.equal(await page.locator('.govuk-notification-banner').count(), 1)
  await expectAccessible(page, 'signed out')
  await page.goto(base + '/staff')
  assert.match(page.url(), /\/staff\/sign-in$/)
  await context.close()
}

test('an officer signs in, sees the consultations, is refused a blocked step and signs out: every page passes axe', async () => {
  await officerJourney(true)
})

test('the same journey works with JavaScript off', async () => {
  await officerJourney(false)
})

test('governance staff see consultations without lifecycle buttons; a forged form is refused', async () => {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false })
  const page = await context.newPage()
  await signIn(page, 'gwen', PASSWORD)
  assert.match(page.url(), /\/staff$/)
  await page.locator('tr', { hasText: 'Draft' }).locator('a').first().click()
  assert.equal(await page.locator('main form[action$="/transitions"]').count(), 0)
  const id = page.url().match(/consultations\/(c-\d+)$/)[1]
  // A POST from this browser's session without the form's token changes nothing.
  const cookie = (await context.cookies()).find((c) => c.name === 'th_staff')
  const res = await fetch(base + `/staff/consultations/${id}/transitions`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `th_staff=${cookie.value}` },
    body: 'to=scheduled&version=1'
  })
  assert.equal(res.status, 403)
  assert.equal(res.headers.get('cache-control'), 'private, no-store')
  await context.close()
})
