// The engagement officer's whole journey in the staff console, through its pages only, with
// JavaScript on and with it off: build a five-week consultation on a big decision and see C-MIN;
// make it six weeks and see C-EXT's extended closing date over Christmas; close on that date; add
// the Welsh translation until LANG passes; schedule it; open it early with an exception that a
// second officer approves in the console; key in a paper response; export the responses to CSV and
// to Excel and read both files back (the .xlsx with openpyxl); close it early with another approved
// exception; publish the outcome. axe-core checks the pages with JavaScript on.
//
// The extended closing date is computed here from the charter's words (DESIGN.md §2.3, C-EXT: over
// 24 December to the New Year bank holiday, or 1–31 August, the close moves to the earliest date
// where the length is at least the base + 14 days and the days outside those windows are at least
// the base), with the New Year bank holiday found by the substitute-day rule — not by the server.
//
// Environment (set by tests/CMakeLists.txt): TOWNHALL_CLI, TOWNHALL_WEB_DIR, TOWNHALL_ARTIFACTS,
// TOWNHALL_PYTHON (an interpreter with openpyxl), CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cli, artifacts, startServer, stopServer, launchBrowser, expectAccessible as expectAccessibleWithAxe, signInToConsole, press, breaches } from './harness.mjs'

const PASSWORD = 'a long console password'
const python = process.env.TOWNHALL_PYTHON

let tmp, db, server, base, browser

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'townhall-officer-'))
  db = path.join(tmp, 'townhall.db')
  let create = ['--create']
  for (const [username, name] of [['olivia', 'Olivia Officer'], ['owen', 'Owen Approver']]) {
    execFileSync(cli, ['users', 'add', '--db', db, ...create, '--role', 'officer', '--name', name,
      '--username', username, '--password-stdin'], { input: PASSWORD + '\n', encoding: 'utf8' })
    create = []
  }
  ;({ server, base } = await startServer(db))
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  await stopServer(server)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

// ---- dates, from the charter ----------------------------------------------------------------

const DAY = 24 * 60 * 60 * 1000
const utc = (y, m, d) => new Date(Date.UTC(y, m - 1, d))
const iso = (d) => d.toISOString().slice(0, 10)
const plus = (d, days) => new Date(d.getTime() + days * DAY)
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December']
const longDate = (d) => `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`

// The New Year bank holiday in England and Wales: 1 January, or the Monday after when it falls at
// a weekend.
function newYearHoliday (year) {
  const d = utc(year, 1, 1)
  const wd = d.getUTCDay()
  return wd === 6 ? utc(year, 1, 3) : wd === 0 ? utc(year, 1, 2) : d
}

function inHolidayWindow (d) {
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + 1
  if (m === 8) return true
  if (m === 12 && d.getUTCDate() >= 24) return true
  return d <= newYearHoliday(y) && m === 1
}

// The close C-EXT asks for a consultation of `weeks` weeks opening on `opens` (both ends counted).
function extendedClose (opens, weeks) {
  const base = weeks * 7
  for (let length = base; ; ++length) {
    let outside = 0
    for (let i = 0; i < length; ++i) if (!inHolidayWindow(plus(opens, i))) ++outside
    const overlaps = outside < length
    if (!overlaps && length === base) return null  // no extension
    if (length >= base + 14 && outside >= base) return plus(opens, length - 1)
  }
}

// The Monday on or after 1 December of the first year whose 1 December is still ahead.
function christmasOpening () {
  const now = new Date()
  let year = now.getUTCFullYear()
  if (now >= utc(year, 12, 1)) ++year
  let d = utc(year, 12, 1)
  while (d.getUTCDay() !== 1) d = plus(d, 1)
  return d
}

// ---- the pages ----------------------------------------------------------------------------

async function signIn (page, name) {
  await signInToConsole(page, base, name, PASSWORD)
}

const SAVE = 'main button[value=save]:not(.govuk-visually-hidden)'

// The status the consultation's page shows.
async function statusOf (page) {
  return (await page.locator('main dl .govuk-tag').first().innerText()).trim()
}

async function findingText (page, rule) {
  return page.locator('#findings + table tbody tr', { hasText: rule }).first().innerText()
}

// RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.
function parseCsv (text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; ++i) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(field); field = '' } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') ++i
      row.push(field); rows.push(row); row = []; field = ''
    } else field += c
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row) }
  return rows
}

// The cells of the workbook's first sheet, read by openpyxl (rows of strings).
function readXlsx (file) {
  const script = 'import json, sys, openpyxl\n' +
    'ws = openpyxl.load_workbook(sys.argv[1], read_only=True).worksheets[0]\n' +
    'print(json.dumps([["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]))\n'
  return JSON.parse(execFileSync(python, ['-c', script, file], { encoding: 'utf8' }))
}

// Asks, as the officer on `page`, for the exception the blocked step needs, naming Owen; Owen
// approves it in his own browser; the officer's page then offers the step with it.
async function exceptionApproved (page, approverPage, consultationUrl, reason, shot, expectAccessible) {
  await page.goto(consultationUrl)
  assert.equal(await page.locator('#ask-exception').count(), 1, 'the page offers to ask for an exception')
  await expectAccessible(page, 'consultation with the form to ask for an exception')
  // Without a reason the form says so and keeps the officer chosen.
  await page.selectOption('#approver', { label: 'Owen Approver (owen, officer)' })
  const refused = await press(page, 'main button:has-text("Ask for approval")')
  assert.equal(refused.status(), 422)
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Give the reason for the exception/)
  assert.equal(await page.locator('#approver option:checked').innerText(), 'Owen Approver (owen, officer)')
  await expectAccessible(page, 'the form to ask for an exception with an error')
  await page.goto(consultationUrl)
  await page.fill('#reason', reason)
  await page.selectOption('#approver', { label: 'Owen Approver (owen, officer)' })
  if (shot) await shot('staff-exception-ask.png')
  await press(page, 'main button:has-text("Ask for approval")')
  assert.match(await page.locator('#waiting').innerText(), /Waiting for Owen Approver to approve/)

  await approverPage.goto(base + '/staff')
  await press(approverPage, 'nav a:has-text("Exceptions to approve")')
  const card = approverPage.locator('.govuk-summary-card', { hasText: reason })
  assert.equal(await card.count(), 1)
  await expectAccessible(approverPage, 'exceptions to approve')
  if (shot) await approverPage.screenshot({ path: path.join(artifacts, 'staff-exceptions-approve.png'), fullPage: true })
  await Promise.all([approverPage.waitForNavigation(), card.locator('button[value=approve]').click()])
  assert.match(await approverPage.locator('.govuk-notification-banner').innerText(), /Exception approved/)

  await page.goto(consultationUrl)
  assert.match(await page.locator('#with-exception').innerText(), /Uses the exception Owen Approver approved/)
}

async function officerJourney (javaScriptEnabled, title) {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled, acceptDownloads: true })
  const approverContext = await browser.newContext({ locale: 'en-GB', javaScriptEnabled })
  const page = await context.newPage()
  const approverPage = await approverContext.newPage()
  const expectAccessible = javaScriptEnabled ? expectAccessibleWithAxe : async () => {}
  const shot = javaScriptEnabled ? (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true }) : null
  await signIn(page, 'olivia')
  await signIn(approverPage, 'owen')

  // Five weeks from the Monday in early December: C-MIN asks six for a big decision.
  const opens = christmasOpening()
  const fiveWeeks = plus(opens, 5 * 7 - 1)
  const sixWeeks = plus(opens, 6 * 7 - 1)
  const extended = extendedClose(opens, 6)
  assert.ok(extended, 'six weeks from early December run over Christmas')
  await press(page, 'main a:has-text("New consultation")')
  await page.fill('#title', title)
  await page.fill('#summary', 'We want to change when libraries open. Tell us what you think.')
  await page.fill('#proposal', 'Open on Saturday afternoons and close on Monday mornings.')
  await page.fill('#reasons', 'More people can visit at weekends.')
  await page.fill('#opens', iso(opens))
  await page.fill('#closes', iso(fiveWeeks))
  await page.check('#big_decision')
  await page.check('#channel-online')
  await page.check('#channel-paper')
  await page.fill('#languages', 'cy')
  await page.fill('#option-0-option', 'Keep the hours')
  await page.check('#option-0-rejected')
  await page.fill('#option-0-reason', 'Fewer people could visit.')
  await page.fill('#question-0-text', 'Do you agree?')
  await page.fill('#question-0-options', 'Yes\nNo')
  await press(page, SAVE)
  assert.match(page.url(), /\/staff\/consultations\/c-\d+\/edit\?saved=1$/)
  const id = page.url().match(/consultations\/(c-\d+)\//)[1]
  const consultationUrl = `${base}/staff/consultations/${id}`
  assert.ok((await breaches(page)).includes('C-MIN'), 'C-MIN is shown live')
  assert.ok((await findingText(page, 'C-MIN')).includes(longDate(sixWeeks)))

  // Six weeks: C-MIN goes, and C-EXT says how far Christmas moves the close.
  await page.fill('#closes', iso(sixWeeks))
  await press(page, SAVE)
  assert.deepEqual(await breaches(page), ['C-EXT', 'LANG'])
  const cExt = await findingText(page, 'C-EXT')
  assert.ok(cExt.includes(`should close no earlier than ${longDate(extended)}`), cExt)
  await expectAccessible(page, 'builder with C-EXT')

  // Closing on that date: only LANG is left.
  await page.fill('#closes', iso(extended))
  await press(page, SAVE)
  assert.deepEqual(await breaches(page), ['LANG'])

  // Welsh, field by field, until LANG passes.
  await press(page, 'main a:has-text("Translation: cy")')
  const fields = page.locator('main table textarea, main table input[type=text]')
  for (let i = 0; i < await fields.count(); i++) {
    if (!(await fields.nth(i).inputValue())) await fields.nth(i).fill(`Testun Cymraeg ${i + 1}.`)
  }
  await press(page, 'main button:has-text("Save translation")')
  assert.equal(await page.locator('#missing li').count(), 0)
  await page.goto(`${consultationUrl}/edit`)
  assert.deepEqual(await breaches(page), [])

  // Scheduled over Christmas: the consultation's page shows the extended close.
  await page.goto(consultationUrl)
  await press(page, 'main button:has-text("Schedule")')
  assert.equal(await statusOf(page), 'Scheduled')
  assert.ok((await page.locator('main').innerText()).includes(`${extended.getUTCDate()} ${MONTHS[extended.getUTCMonth()]} ${extended.getUTCFullYear()}`))

  // Opening now is before the published opening date: Owen approves an exception first.
  await page.goto(consultationUrl)
  assert.match(await page.locator('#blocked').innerText(), /before the published opening date/)
  await exceptionApproved(page, approverPage, consultationUrl, `Open the ${title} consultation early: the library board meets in December.`, shot, expectAccessible)
  await expectAccessible(page, 'consultation with an approved exception')
  await press(page, 'main button:has-text("Open now")')
  assert.equal(await statusOf(page), 'Open')

  // A paper response keyed in by the officer.
  await page.goto(`${consultationUrl}/responses/new`)
  await page.check('input[name=channel][value=paper]')
  const yes = page.locator('.govuk-radios__input[name^="q"]').first()
  const answer = (await page.locator(`label[for="${await yes.getAttribute('id')}"]`).innerText()).trim()
  await yes.check()
  await press(page, 'main button:has-text("Store the response")')
  const reference = page.url().match(/\/responses\/(TH-[0-9A-Z-]+)\?entered=1$/)[1]

  // Both exports, read back: the paper response with its channel and answer.
  await page.goto(`${consultationUrl}/responses`)
  const files = {}
  for (const [link, ext] of [['CSV', 'csv'], ['Excel (.xlsx)', 'xlsx']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`main a:has-text("${link}")`)])
    assert.equal(download.suggestedFilename(), `${id}-responses.${ext}`)
    files[ext] = path.join(tmp, `${id}-${javaScriptEnabled ? 'js' : 'nojs'}.${ext}`)
    await download.saveAs(files[ext])
  }
  for (const rows of [parseCsv(fs.readFileSync(files.csv, 'utf8').replace(/^\uFEFF/, '')), readXlsx(files.xlsx)]) {
    assert.deepEqual(rows[0].slice(0, 5), ['Reference', 'Received', 'Channel', 'Language', 'Do you agree?'])
    const mine = rows.filter((r) => r[0] === reference)
    assert.equal(mine.length, 1, `one row for ${reference}`)
    assert.equal(mine[0][2], 'paper')
    assert.equal(mine[0][4], answer)
    assert.equal(rows.length, 2, 'the header and the one response')
  }

  // Closing before the published closing date: another exception, approved by Owen.
  await exceptionApproved(page, approverPage, consultationUrl, `Close the ${title} consultation early: the decision moved.`, null, expectAccessible)
  await press(page, 'main button:has-text("Close now")')
  assert.equal(await statusOf(page), 'Closed')

  // We asked, you said, we did: in Welsh first (LANG publishes the outcome in every promised
  // language at once), then in English.
  await page.goto(`${consultationUrl}/translations/cy`)
  for (const f of ['we_asked', 'you_said', 'we_did']) await page.fill(`#t-outcome-${f}`, `Canlyniad Cymraeg: ${f}.`)
  await press(page, 'main button:has-text("Save translation")')
  assert.equal(await page.locator('.govuk-error-summary').count(), 0)
  await page.goto(`${consultationUrl}/outcome`)
  await page.fill('#outcome-we_asked', 'When the libraries should open.')
  await page.fill('#outcome-you_said', 'Saturday afternoons suit most of you.')
  await page.fill('#outcome-we_did', 'Libraries open on Saturday afternoons from March.')
  await press(page, 'main button:has-text("Publish outcome")')
  await page.goto(consultationUrl)
  assert.equal(await statusOf(page), 'Outcome published')
  // The audit trail names both officers' exceptions.
  const audit = await page.locator('main table').last().innerText()
  assert.equal((audit.match(/consultation\.exception/g) || []).length, 2)
  await context.close()
  await approverContext.close()
}

test('an officer builds, translates, schedules over Christmas, opens early with an approved exception, takes a paper response, exports, closes and publishes the outcome: pages pass axe', async () => {
  assert.ok(python, 'TOWNHALL_PYTHON must name an interpreter with openpyxl')
  await officerJourney(true, 'Library opening hours (JavaScript)')
})

test('the same officer journey works with JavaScript off', async () => {
  await officerJourney(false, 'Library opening hours (no JavaScript)')
})
