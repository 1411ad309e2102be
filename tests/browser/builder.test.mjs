// Browser tests of the console's consultation builder, preview, translation editor and outcome
// editor: the real `townhall serve` over a temporary demo database, Debian's Chromium through
// playwright-core, axe-core on every one of those page types (zero violations against WCAG 2.2 AA),
// and the repeating parts of the form working with JavaScript off. Screenshots go to
// TOWNHALL_ARTIFACTS (staff-builder*.png, staff-preview.png, staff-preview-question.png,
// staff-translation.png, staff-outcome.png).
//
// Environment (set by tests/CMakeLists.txt): TOWNHALL_CLI, TOWNHALL_WEB_DIR, TOWNHALL_ARTIFACTS,
// CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cli, artifacts, startServer, stopServer, launchBrowser, expectAccessible, signInToConsole, press, breaches } from './harness.mjs'

const PASSWORD = 'a long console password'

let tmp, db, server, base, browser

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'townhall-builder-'))
  db = path.join(tmp, 'townhall.db')
  execFileSync(cli, ['demo', 'seed', '--db', db], { encoding: 'utf8' })
  execFileSync(cli, ['users', 'add', '--db', db, '--role', 'officer', '--name', 'olivia (browser test)',
    '--username', 'olivia', '--email', 'olivia@example.gov.uk', '--password-stdin'],
  { input: PASSWORD + '\n', encoding: 'utf8' })
  ;({ server, base } = await startServer(db))
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  await stopServer(server)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

async function signIn (page) {
  await signInToConsole(page, base, 'olivia', PASSWORD)
}

const SAVE = 'main button[value=save]:not(.govuk-visually-hidden)'

// A year ahead of whatever day the test runs: five weeks in spring, far from the holiday windows.
const year = new Date().getUTCFullYear() + 1

async function fillFiveWeeks (page) {
  await page.fill('#title', 'Library opening hours')
  await page.fill('#summary', 'We want to change when libraries open. Tell us what you think.')
  await page.fill('#proposal', 'Open on Saturday afternoons and close on Monday mornings.')
  await page.fill('#reasons', 'More people can visit at weekends.')
  await page.fill('#opens', `${year}-03-01`)
  await page.fill('#closes', `${year}-04-05`)
  await page.check('#big_decision')
  await page.check('#channel-online')
  await page.check('#channel-paper')
  await page.fill('#languages', 'cy')
  await page.fill('#option-0-option', 'Keep the hours')
  await page.check('#option-0-rejected')
  await page.fill('#option-0-reason', 'Fewer people could visit.')
  await page.fill('#question-0-text', 'Do you agree?')
  await page.fill('#question-0-options', 'Yes\nNo')
}

test('an officer builds a five-week big consultation, fixes C-MIN, translates it into Welsh until LANG passes, previews it: axe on every page', async () => {
  const context = await browser.newContext({ locale: 'en-GB' })
  const page = await context.newPage()
  // The staff guide shows the top of each page, down to the end of `until` (the findings and
  // scores, the first fields).
  const shot = async (name, until = 'main') => {
    const box = await page.locator(until).first().boundingBox()
    const height = Math.min(Math.ceil(box.y + box.height + 16), 2400)
    await page.screenshot({ path: path.join(artifacts, name), fullPage: true, clip: { x: 0, y: 0, width: 1280, height } })
  }
  await signIn(page)
  await press(page, 'main a:has-text("New consultation")')
  assert.match(page.url(), /\/staff\/consultations\/new$/)
  await expectAccessible(page, 'new consultation')
  await fillFiveWeeks(page)
  await page.fill('#question-0-hint', 'Think about the whole borough, not only your street.')
  // Another option considered: what was typed stays.
  await press(page, 'main button:has-text("Add another option considered")')
  assert.equal(await page.inputValue('#option-0-option'), 'Keep the hours')
  assert.equal(await page.inputValue('#question-0-hint'), 'Think about the whole borough, not only your street.')
  assert.equal(await page.inputValue('#summary'), 'We want to change when libraries open. Tell us what you think.')
  assert.ok(await page.isChecked('#big_decision'))
  await page.fill('#option-1-option', 'Close on Mondays')
  await page.fill('#option-1-reason', 'Mondays are quiet, but some people can only come then.')
  await press(page, SAVE)
  assert.match(page.url(), /\/staff\/consultations\/c-\d+\/edit\?saved=1$/)
  const id = page.url().match(/consultations\/(c-\d+)\//)[1]
  assert.deepEqual((await breaches(page)).sort(), ['C-MIN', 'LANG'])
  assert.ok((await page.locator('#readability + table').innerText()).includes('Summary (en-GB)'))
  await expectAccessible(page, 'builder with findings')
  await shot('staff-builder.png', '#readability + table')

  // Six weeks: C-MIN goes.
  await page.fill('#closes', `${year}-04-12`)
  await press(page, SAVE)
  assert.deepEqual(await breaches(page), ['LANG'])

  // Welsh, field by field, until LANG passes.
  await press(page, 'main a:has-text("Translation: cy")')
  await expectAccessible(page, 'translation editor')
  await shot('staff-translation.png', 'main table tbody tr:nth-child(4)')
  const missingAtFirst = await page.locator('#missing li').count()
  assert.ok(missingAtFirst > 5, `missing ${missingAtFirst}`)
  await page.fill('#t-title', 'Oriau agor llyfrgelloedd')
  await press(page, 'main button:has-text("Save translation")')
  assert.equal(await page.locator('#missing li').count(), missingAtFirst - 1)
  const fields = page.locator('main table textarea, main table input[type=text]')
  for (let i = 0; i < await fields.count(); i++) {
    if (!(await fields.nth(i).inputValue())) await fields.nth(i).fill(`Testun Cymraeg ${i + 1}.`)
  }
  await press(page, 'main button:has-text("Save translation")')
  assert.equal(await page.locator('#missing li').count(), 0)
  assert.ok((await page.locator('main').innerText()).includes('Nothing: every field'))
  await page.goto(`${base}/staff/consultations/${id}/edit`)
  assert.deepEqual(await breaches(page), [])

  // The Welsh preview: the residents' page, marked as not published.
  await page.goto(`${base}/staff/consultations/${id}/preview?lang=cy`)
  assert.ok((await page.locator('main').innerText()).includes('Preview — not published'))
  assert.ok((await page.locator('main h1').innerText()).includes('Oriau agor llyfrgelloedd'))
  assert.equal(await page.locator('meta[name=robots]').getAttribute('content'), 'noindex, nofollow')
  await expectAccessible(page, 'preview in Welsh')
  await shot('staff-preview.png')

  // Its first question as residents will see it: the hint text under the question, in Welsh,
  // describing the answer's fieldset.
  await press(page, 'main a[href$="preview?lang=cy&question=1"]')
  assert.equal(await page.locator('#answer-hint').getAttribute('lang'), 'cy')
  assert.equal(await page.locator('main fieldset').getAttribute('aria-describedby'), 'answer-hint')
  await expectAccessible(page, 'question preview in Welsh')
  // And in English, the hint as the officer typed it.
  await page.goto(`${base}/staff/consultations/${id}/preview?question=1`)
  assert.equal(await page.locator('#answer-hint').innerText(), 'Think about the whole borough, not only your street.')
  assert.ok((await page.locator('main').innerText()).includes('Preview — not published'))
  await expectAccessible(page, 'question preview')
  await shot('staff-preview-question.png')

  // The lifecycle button no longer says anything blocks it.
  await page.goto(`${base}/staff/consultations/${id}`)
  assert.equal(await page.locator('#blocked').count(), 0)
  await context.close()
})

test('the outcome editor of a closed consultation passes axe and keeps the text of a refused publication', async () => {
  const context = await browser.newContext({ locale: 'en-GB' })
  const page = await context.newPage()
  await signIn(page)
  const closed = page.locator('tr', { hasText: 'Closed' }).locator('a').first()
  const href = await closed.getAttribute('href')
  await page.goto(base + href + '/outcome')
  await expectAccessible(page, 'outcome editor')
  await page.fill('#outcome-we_asked', 'Where benches should go.')
  await page.fill('#outcome-you_said', 'By the pond.')
  const refused = await press(page, 'main button:has-text("Publish outcome")')
  assert.equal(refused.status(), 422)
  assert.equal(await page.inputValue('#outcome-you_said'), 'By the pond.')
  await expectAccessible(page, 'outcome editor with an error')
  await page.screenshot({ path: path.join(artifacts, 'staff-outcome.png'), fullPage: true })
  await context.close()
})

test('without JavaScript, rows are added and removed and nothing typed is lost', async () => {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false })
  const page = await context.newPage()
  await signIn(page)
  await page.goto(base + '/staff/consultations/new')
  await fillFiveWeeks(page)
  await press(page, 'main button:has-text("Add another question")')
  await page.selectOption('#question-1-type', 'free_text')
  await page.fill('#question-1-text', 'Anything else?')
  await press(page, 'main button:has-text("Add another event")')
  await page.fill('#event-0-title', 'Drop-in at the library')
  await page.fill('#event-0-date', `${year}-03-10`)
  await press(page, 'main button:has-text("Remove Question 1")')
  assert.equal(await page.inputValue('#question-0-text'), 'Anything else?')
  assert.equal(await page.inputValue('#question-0-type'), 'free_text')
  assert.equal(await page.locator('#question-1-text').count(), 0)
  assert.equal(await page.inputValue('#event-0-title'), 'Drop-in at the library')
  await press(page, SAVE)
  assert.match(page.url(), /\/edit\?saved=1$/)
  await page.screenshot({ path: path.join(artifacts, 'staff-builder-no-js.png'), fullPage: true })
  await context.close()
})
