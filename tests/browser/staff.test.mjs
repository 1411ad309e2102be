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
  for (const [role, username] of [['officer', 'olivia'], ['governance', 'gwen'], ['admin', 'adam']]) {
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

test('an officer runs the Citizens\' Panel: members and search, recruitment gaps, contact limits, a draw previewed then invited, the outbox: every page passes axe', async () => {
  const context = await browser.newContext({ locale: 'en-GB' })
  const page = await context.newPage()
  await signIn(page, 'olivia', PASSWORD)
  await page.click('.govuk-service-navigation a[href="/staff/panel"]')
  assert.match(page.url(), /\/staff\/panel$/)
  assert.ok((await page.locator('main table').innerText()).includes('Sam Demo'))
  await expectAccessibleWithAxe(page, 'panel members')
  await page.screenshot({ path: path.join(artifacts, 'staff-panel-members.png'), fullPage: true })
  await page.fill('#q', 'CASTLE')
  await Promise.all([page.waitForNavigation(), page.click('main form[action="/staff/panel"] button')])
  assert.ok((await page.locator('caption').innerText()).includes('1 of 1 members match'))
  await page.fill('#q', 'nobody-here')
  await Promise.all([page.waitForNavigation(), page.click('main form[action="/staff/panel"] button')])
  assert.ok((await page.locator('main').innerText()).includes('No member matches'))
  await expectAccessibleWithAxe(page, 'panel search with no match')

  await page.goto(base + '/staff/panel/recruitment')
  assert.equal(await page.locator('main table').count() >= 3, true)
  await expectAccessibleWithAxe(page, 'recruitment gaps')
  await page.screenshot({ path: path.join(artifacts, 'staff-panel-recruitment.png'), fullPage: true })
  await page.goto(base + '/staff/panel/contact-limits')
  assert.ok((await page.locator('main').innerText()).includes('at most'))
  await expectAccessibleWithAxe(page, 'contact limits')

  // A draw: errors first, then a preview with its commitment and probabilities, then the invitations.
  await page.goto(base + '/staff/panel/draws')
  await expectAccessibleWithAxe(page, 'draw form')
  await Promise.all([page.waitForNavigation(), page.click('main form[action="/staff/panel/draws"] button')])
  const links = await page.locator('.govuk-error-summary__list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  assert.deepEqual(links, ['#consultation', '#size', '#quotas'])
  await expectAccessibleWithAxe(page, 'draw form with errors')
  await page.selectOption('#consultation', 'c-6')
  await page.fill('#size', '1')
  await page.fill('#seed', '20261207')
  await page.fill('#quotas', 'category,feature,min,max\ntenure,Social rented,0,1\ntenure,Owned,0,1')
  await Promise.all([page.waitForNavigation(), page.click('main form[action="/staff/panel/draws"] button')])
  assert.match(page.url(), /\/staff\/panel\/draws\/[A-Za-z0-9_-]+$/)
  const preview = page.url()
  for (let i = 0; i < 100 && (await page.locator('text=The draw is running').count()) > 0; ++i) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    await page.goto(preview)
  }
  assert.match(await page.locator('code.townhall-commitment').innerText(), /^[0-9a-f]{64}$/)
  assert.ok((await page.locator('main ul.govuk-list--bullet').innerText()).includes('Sam Demo'))
  await expectAccessibleWithAxe(page, 'draw preview')
  await page.screenshot({ path: path.join(artifacts, 'staff-panel-draw-preview.png'), fullPage: true })
  await Promise.all([page.waitForNavigation(), page.click('main form[action$="/invite"] button')])
  for (let i = 0; i < 100 && (await page.locator('text=The draw is running').count()) > 0; ++i) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    await page.goto(page.url())
  }
  assert.ok((await page.locator('.govuk-notification-banner').innerText()).includes('Invitations recorded: 1'))
  await expectAccessibleWithAxe(page, 'invitations recorded')

  await page.goto(base + '/staff/panel/outbox')
  await expectAccessibleWithAxe(page, 'email outbox')
  await page.screenshot({ path: path.join(artifacts, 'staff-panel-outbox.png'), fullPage: true })
  await context.close()

  // Governance staff do not see the panel's members.
  const gov = await browser.newContext({ locale: 'en-GB' })
  const gpage = await gov.newPage()
  await signIn(gpage, 'gwen', PASSWORD)
  const refused = await gpage.goto(base + '/staff/panel')
  assert.equal(refused.status(), 403)
  await gov.close()
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

// YYYY-MM-DD of today (UTC, as near Europe/London as a test needs) plus `days`.
function isoPlus (days) {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

// The governance journey: a key decision with 27 clear days' notice (KD-2), a part-private Cabinet
// meeting, the compliance dashboard and its printable report; axe on every register page type.
async function governanceJourney (javaScriptEnabled, suffix) {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled })
  const page = await context.newPage()
  const expectAccessible = javaScriptEnabled ? expectAccessibleWithAxe : async () => {}
  const shot = javaScriptEnabled ? (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true }) : async () => {}
  await signIn(page, 'gwen', PASSWORD)
  assert.match(page.url(), /\/staff$/)

  await Promise.all([page.waitForNavigation(), page.click('nav a:has-text("Forward Plan")')])
  assert.match(page.url(), /\/staff\/forward-plan$/)
  await expectAccessible(page, 'key decisions list')
  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Add a key decision")')])
  await expectAccessible(page, 'new key decision form')
  // Decided 60 days from now; 28 clear calendar days need the notice 29 days before: published 28
  // days before, it has 27.
  const decision = isoPlus(60)
  const id = 'KD-BROWSER-' + suffix
  await page.fill('#f-id', id)
  await page.fill('#f-matter', 'Highways maintenance contract')
  await page.fill('#f-decision_maker-name', 'Cllr Asha Patel')
  await page.fill('#f-decision_maker-title', 'Cabinet Member for Highways')
  await page.fill('#f-decision_date', decision)
  await page.fill('#f-value_pence', '250,000')
  await page.fill('#f-assessment_reasons', 'Spend over the threshold')
  await page.fill('#f-notice-published_on', isoPlus(32))
  await page.fill('#f-notice-documents', 'Cabinet report')
  await page.fill('#f-notice-documents_available_from', 'Democratic Services, Town Hall')
  await page.fill('#f-notice-how_to_request', 'Email democratic.services@example.gov.uk')
  await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Save")')])
  assert.match(page.url(), new RegExp(`/staff/forward-plan/${id}\\?saved=1$`))
  const findings = await page.locator('#findings + table').innerText()
  assert.match(findings, /KD-2\s+breach/, findings)
  assert.match(await page.locator('#deadline').innerText(), /must be published by/)
  await expectAccessible(page, 'key decision with findings')
  await shot('staff-key-decision.png')

  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("General exception and special urgency")')])
  await expectAccessible(page, 'exception routes form')
  await page.goto(base + `/staff/forward-plan/${id}/withdraw`)
  await expectAccessible(page, 'withdraw form')

  await Promise.all([page.waitForNavigation(), page.click('nav a:has-text("Meetings")')])
  await expectAccessible(page, 'meetings list')
  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Add a meeting")')])
  await page.fill('#f-id', 'cabinet-' + suffix)
  await page.fill('#f-body', 'Cabinet')
  await page.fill('#f-date', decision)
  await page.check('#f-private')
  await page.fill('#f-notice_published_on', isoPlus(50))
  await page.fill('#f-agenda_published_on', isoPlus(50))
  await page.fill('#f-intention_notice_published_on', isoPlus(20))
  await page.fill('#f-intention_notice_reasons', 'Item 7 is exempt: Schedule 12A paragraph 3 (commercial terms)')
  await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Save")')])
  assert.match(page.url(), new RegExp(`/staff/meetings/cabinet-${suffix}\\?saved=1$`))
  await expectAccessible(page, 'meeting')
  await shot('staff-meeting.png')
  await Promise.all([page.waitForNavigation(), page.click('nav a:has-text("Meetings")')])
  assert.ok((await page.locator('main').innerText()).includes('Cabinet (part private)'))

  for (const [nav, add] of [['Urgency reports', 'Add an urgency report'], ['Referrals', 'Add a scrutiny referral']]) {
    await Promise.all([page.waitForNavigation(), page.click(`nav a:has-text("${nav}")`)])
    await expectAccessible(page, nav + ' list')
    await Promise.all([page.waitForNavigation(), page.click(`main a:has-text("${add}")`)])
    await expectAccessible(page, nav + ' form')
  }
  await page.goto(base + '/staff/forward-plan/import')
  await expectAccessible(page, 'CSV import')

  await Promise.all([page.waitForNavigation(), page.click('nav a:has-text("Compliance")')])
  const dashboard = await page.locator('main').innerText()
  assert.match(dashboard, /KD-2/)
  assert.match(dashboard, /Notice deadlines until/)
  await expectAccessible(page, 'compliance dashboard')
  await shot('staff-compliance.png')
  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Printable report")')])
  assert.match(page.url(), /\/staff\/compliance\/report\?from=/)
  assert.match(await page.locator('main').innerText(), /Consultations run in the period/)
  await expectAccessible(page, 'printable report')
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator('.govuk-header').isVisible(), false)
  assert.equal(await page.locator('.townhall-report h1').isVisible(), true)
  if (javaScriptEnabled) await page.pdf({ path: path.join(artifacts, 'staff-compliance-report.pdf') }).catch(() => {})
  await context.close()
}

test('a governance user records a key decision with 27 clear days\' notice and sees KD-2, adds a part-private Cabinet meeting and prints the compliance report: every page passes axe', async () => {
  await governanceJourney(true, 'JS')
})

test('the governance journey works with JavaScript off', async () => {
  await governanceJourney(false, 'NOJS')
})

// An administrator adds a member of staff, sees the account and disables it; axe on the accounts
// list, the new-account form (also with its errors) and an account's page.
test('an administrator adds a staff account, is shown a bad password by its field, and disables the account: every page passes axe', async () => {
  const context = await browser.newContext({ locale: 'en-GB' })
  const page = await context.newPage()
  assert.equal((await signIn(page, 'adam', PASSWORD)).status(), 200)
  await page.goto(base + '/staff/accounts')
  await expectAccessibleWithAxe(page, 'staff accounts')
  await page.click('text=Add a staff account')
  await expectAccessibleWithAxe(page, 'new staff account')
  await page.fill('#name', 'Nia Newcomer')
  await page.fill('#username', 'nia')
  await page.check('#role-governance')
  await page.fill('#password', 'too short')
  const refused = await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]).then(([r]) => r)
  assert.equal(refused.status(), 422)
  assert.match(await page.locator('.govuk-error-summary').innerText(), /at least 12 characters/)
  await expectAccessibleWithAxe(page, 'new staff account with errors')
  await page.fill('#password', PASSWORD)
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')])
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /nia was added/)
  await page.screenshot({ path: path.join(artifacts, 'staff-accounts.png'), fullPage: true })
  await page.click('text=Nia Newcomer')
  await expectAccessibleWithAxe(page, 'staff account')
  await page.check('#state-disabled')
  await Promise.all([page.waitForNavigation(), page.click('text=Save role and state')])
  assert.match(await page.locator('.govuk-summary-list').innerText(), /Disabled/)
  await page.screenshot({ path: path.join(artifacts, 'staff-account.png'), fullPage: true })
  const other = await browser.newContext({ locale: 'en-GB' })
  const nia = await other.newPage()
  assert.equal((await signIn(nia, 'nia', PASSWORD)).status(), 403)
  assert.match(await nia.locator('.govuk-error-summary').innerText(), /has been disabled/)
  await other.close()
  await context.close()
})

// The responses of an open consultation: the table and its filter, keying in a paper response
// (an error first, then stored once), a response's page, the charts and both exports.
async function responsesJourney (javaScriptEnabled) {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled, acceptDownloads: true })
  const page = await context.newPage()
  const expectAccessible = javaScriptEnabled ? expectAccessibleWithAxe : async () => {}
  const shot = javaScriptEnabled ? (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true }) : async () => {}
  await signIn(page, 'olivia', PASSWORD)
  await page.locator('tr', { hasText: 'Open' }).locator('a').first().click()
  const id = page.url().match(/consultations\/(c-\d+)$/)[1]
  await Promise.all([page.waitForNavigation(), page.click(`main a[href="/staff/consultations/${id}/responses"]`)])
  assert.match(page.url(), new RegExp(`/staff/consultations/${id}/responses$`))
  const shown = async () => Number(((await page.locator('#count').innerText()).match(/of (\d+)/) || [0, 0])[1])
  const before = await shown()
  await expectAccessible(page, 'responses table')

  // Keying in a paper response: without a channel the form says so; then it is stored.
  await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Enter a paper, phone or face-to-face response")')])
  await expectAccessible(page, 'response entry form')
  const refused = await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Store the response")')])
  assert.equal(refused[0].status(), 400)
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Choose how the response was given/)
  await expectAccessible(page, 'response entry form with an error')
  await page.check('input[name=channel][value=paper]')
  for (const radio of await page.locator('.govuk-radios__input[name^="q"][value="yes"]').all()) await radio.check()
  const text = page.locator('textarea[name^="q"]')
  if (await text.count()) await text.first().fill('Written on the paper form')
  await shot('staff-response-entry.png')
  await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Store the response")')])
  assert.match(page.url(), /\/responses\/TH-[0-9A-Z-]+\?entered=1$/)
  assert.match(await page.locator('main').innerText(), /The response is stored/)
  assert.match(await page.locator('main').innerText(), /Paper/)
  await expectAccessible(page, 'one response')
  await shot('staff-response.png')
  await page.goto(base + `/staff/consultations/${id}/responses?channel=paper`)
  await expectAccessible(page, 'responses filtered')
  await shot('staff-responses.png')
  await page.goto(base + `/staff/consultations/${id}/responses`)
  const after = await shown()
  assert.equal(after, before + 1)

  // Both exports download with the table's filter.
  for (const [link, ext] of [['CSV', 'csv'], ['Excel (.xlsx)', 'xlsx']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`main a:has-text("${link}")`)])
    assert.equal(download.suggestedFilename(), `${id}-responses.${ext}`)
    const file = await download.path()
    const bytes = fs.readFileSync(file)
    if (ext === 'csv') assert.ok(bytes.toString('utf8').includes('Written on the paper form') || bytes.length > 3)
    else assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  }

  await page.goto(base + `/staff/consultations/${id}/charts`)
  assert.ok(await page.locator('svg[role=img] title').count() > 0)
  assert.match(await page.locator('#facts').innerText(), /respondents have panel facts/)
  await expectAccessible(page, 'charts')
  await shot('staff-charts.png')
  await context.close()
}

test('an officer reads the responses, keys in a paper response, exports and sees the charts: every page passes axe', async () => {
  await responsesJourney(true)
})

test('the responses journey works with JavaScript off', async () => {
  await responsesJourney(false)
})
