// Browser tests of the residents' web pages: the real `townhall serve` on a free loopback port over
// a temporary database seeded with `townhall demo seed`, driven by Debian's Chromium through
// playwright-core, with axe-core checking every page type in en-GB and ar against WCAG 2.2 AA.
//
// Environment (set by tests/CMakeLists.txt): TOWNHALL_CLI (the built binary), TOWNHALL_WEB_DIR
// (web/, for node_modules), TOWNHALL_ARTIFACTS (screenshots go here), CHROMIUM (default
// /usr/bin/chromium).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cli, artifacts, AxeBuilder, WCAG_TAGS, startServer, stopServer, launchBrowser } from './harness.mjs'

let tmp, db, server, base, officerToken, browser
const cspViolations = []

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'townhall-pages-'))
  db = path.join(tmp, 'townhall.db')
  officerToken = execFileSync(cli, ['demo', 'seed', '--db', db], { encoding: 'utf8' }).trim()
  ;({ server, base } = await startServer(db))
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  await stopServer(server)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

async function newContext (options = {}) {
  const context = await browser.newContext({ locale: 'en-GB', ...options })
  context.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text())
  })
  return context
}

async function expectAccessible (page, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  assert.deepEqual(summary, [], `axe violations on ${label} (${page.url()})`)
}

// WCAG 2.2 target size (minimum), 2.5.8: every link, button and control outside running text
// is at least 24 by 24 CSS pixels, or a 24 px circle on its centre touches no other target nor
// another small target's circle. axe does not check this; links inside a sentence or paragraph
// are excepted by the criterion (inline), and so are not measured.
async function expectTargetSizes (page, label) {
  // On a phone's width the footer's links wrap onto lines close together; on a desktop's they do not.
  const viewport = page.viewportSize()
  for (const width of [412, 1280]) {
    await page.setViewportSize({ width, height: 823 })
    await expectTargetSizesNow(page, `${label} at ${width} px`)
  }
  await page.setViewportSize(viewport)
}

async function expectTargetSizesNow (page, label) {
  const problems = await page.evaluate(() => {
    const inline = (el) => el.tagName === 'A' && el.closest('p, li.govuk-body, .govuk-body, td, dd') &&
      !el.closest('.govuk-footer, .townhall-languages, .govuk-summary-list__actions')
    const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
      .filter((el) => {
        const r = el.getBoundingClientRect()
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && !inline(el)
      })
      .map((el) => {
        const r = el.getBoundingClientRect()
        // A radio or checkbox input is drawn by its label: GOV.UK hides the input under a 44 px box.
        return { el, x: r.left, y: r.top, w: r.width, h: r.height, cx: r.left + r.width / 2, cy: r.top + r.height / 2 }
      })
    const name = (t) => `${t.el.tagName.toLowerCase()} "${(t.el.textContent || t.el.getAttribute('name') || '').trim().slice(0, 30)}" ${Math.round(t.w)}x${Math.round(t.h)}`
    const out = []
    for (const t of targets) {
      if (t.w >= 24 && t.h >= 24) continue
      const clash = targets.find((o) => {
        if (o === t) return false
        // The distance from t's centre to o's box; under 12 px the circle overlaps o.
        const dx = Math.max(o.x - t.cx, 0, t.cx - (o.x + o.w))
        const dy = Math.max(o.y - t.cy, 0, t.cy - (o.y + o.h))
        if (Math.hypot(dx, dy) < 12) return true
        const small = o.w < 24 || o.h < 24
        return small && Math.hypot(o.cx - t.cx, o.cy - t.cy) < 24
      })
      if (clash) out.push(`${name(t)} (too close to ${name(clash)})`)
    }
    return out
  })
  assert.deepEqual(problems, [], `targets under 24x24 CSS px without spacing on ${label} (${page.url()})`)
}

async function expectLangDir (page, lang, dir) {
  assert.equal(await page.getAttribute('html', 'lang'), lang)
  assert.equal(await page.getAttribute('html', 'dir'), dir)
}

function apiGet (pathname) {
  return fetch(base + pathname, { headers: { Authorization: 'Bearer ' + officerToken } })
}

function sql (query) {
  return execFileSync('sqlite3', [db, query], { encoding: 'utf8' }).trim()
}

// The demo panel member (`townhall demo seed`), whose tenure is known.
const DEMO_MEMBER = 'panel.member@example.org'

// The path of the newest sign-in link emailed to the demo member, read from the outbox.
function signInLink (lang) {
  const body = sql(`SELECT body FROM pages_outbox WHERE to_address = '${DEMO_MEMBER}' ORDER BY id DESC LIMIT 1`)
  const link = body.match(new RegExp(`/${lang}/panel/sign-in/[A-Za-z0-9_-]+`))
  assert.ok(link, body)
  return link[0]
}

test('/ negotiates the language from Accept-Language', async () => {
  for (const [header, lang] of [['cy-GB,cy;q=0.9,en;q=0.5', 'cy'], ['ar-SA', 'ar'], ['de-DE', 'en-GB'], ['', 'en-GB']]) {
    const res = await fetch(base + '/', { redirect: 'manual', headers: header ? { 'Accept-Language': header } : {} })
    assert.equal(res.status, 303)
    assert.equal(res.headers.get('location'), `/${lang}/`)
  }
})

test('every page type in en-GB, cy and ar has no axe violations (WCAG 2.2 AA)', async () => {
  const context = await newContext()
  const page = await context.newPage()
  for (const [lang, dir] of [['en-GB', 'ltr'], ['cy', 'ltr'], ['ar', 'rtl']]) {
    const visit = async (pathname, label, status = 200) => {
      const res = await page.goto(base + `/${lang}${pathname}`)
      assert.equal(res.status(), status, `${label} in ${lang}`)
      await expectLangDir(page, lang, dir)
      await expectAccessible(page, `${label} (${lang})`)
      await expectTargetSizes(page, `${label} (${lang})`)
    }
    await visit('/', 'hub')
    await page.screenshot({ path: path.join(artifacts, `hub-${lang}.png`), fullPage: true })
    await visit('/?q=library&ward=Abbey', 'hub with filters')
    await visit('/consultations/c-1', 'open consultation')
    await visit('/consultations/c-2', 'forthcoming consultation')
    await visit('/consultations/c-4', 'consultation with outcome')
    await visit('/consultations/c-4/results', 'we asked, you said, we did')
    await visit('/forward-plan', 'Forward Plan')
    await visit('/consultations/c-3/questions/1', 'closed consultation', 410)
    await visit('/consultations/c-1/questions/1', 'yes/no question')
    await page.screenshot({ path: path.join(artifacts, `question-${lang}.png`), fullPage: true })
    await page.click('button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await expectAccessible(page, `question with an error (${lang})`)
    await visit('/consultations/c-1/questions/2', 'scale question')
    await visit('/consultations/c-1/questions/3', 'free-text question')
    await visit('/consultations/c-1/check', 'check your answers')
    await visit('/consultations/c-1/save', 'save and come back later')
    await page.fill('#email', 'not-an-email')
    await page.click('button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await expectAccessible(page, `save with an error (${lang})`)
    await page.fill('#email', 'resident@example.org')
    await page.click('button[type=submit]')
    assert.match(page.url(), /\/saved$/)
    await expectAccessible(page, `saved (${lang})`)
    // The emailed resume link opens a page with a button (mail scanners fetch links; only the button uses it up).
    const resume = sql("SELECT body FROM pages_outbox WHERE to_address = 'resident@example.org' ORDER BY id DESC LIMIT 1")
      .match(new RegExp(`/${lang}/consultations/c-1/resume/[0-9a-f]+`))
    assert.ok(resume)
    await page.goto(base + resume[0])
    await expectLangDir(page, lang, dir)
    await expectAccessible(page, `resume link: press to continue (${lang})`)
    await visit('/consultations/c-6/questions/1', 'single-choice question')
    await visit('/consultations/c-6/questions/2', 'multiple-choice question')
    await visit('/consultations/c-6/questions/3', 'ranking question')
    await visit('/accessibility', 'accessibility statement')
    await visit('/privacy', 'privacy notice')
    await visit('/consultations/c-404', 'page not found', 404)
    await visit('/no-such-page', 'page not found (unknown path)', 404)
    // Citizens' Panel member pages: sign in by the emailed link, what we hold, change, delete.
    await visit('/panel/sign-in', 'panel sign-in')
    await page.fill('#email', 'not-an-email')
    await page.click('button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await expectAccessible(page, `panel sign-in with an error (${lang})`)
    await page.fill('#email', DEMO_MEMBER)
    await page.click('button[type=submit]')
    assert.match(page.url(), /\/panel\/check-email$/)
    await expectAccessible(page, `check your email (${lang})`)
    await page.goto(base + signInLink(lang))
    await expectLangDir(page, lang, dir)
    await expectAccessible(page, `sign-in link: press to sign in (${lang})`)
    await page.click('button[type=submit]')
    assert.match(page.url(), new RegExp(`/${lang}/panel/me$`))
    await expectLangDir(page, lang, dir)
    await expectAccessible(page, `what the council holds about you (${lang})`)
    await visit('/panel/me/facts/tenure', 'change a fact')
    await page.fill('#value', '')
    await page.click('button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await expectAccessible(page, `change a fact with an error (${lang})`)
    await visit('/panel/me/details/email', 'change a personal detail')
    await page.fill('#value', 'not-an-email')
    await page.click('button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await expectAccessible(page, `change a personal detail with an error (${lang})`)
    // A new address counts once the link emailed to it is pressed (not pressed here: the demo member keeps theirs).
    await page.fill('#value', `demo.${lang}@example.org`)
    await page.click('button[type=submit]')
    assert.match(page.url(), /\/panel\/email-sent$/)
    await expectAccessible(page, `check your email: new address (${lang})`)
    const confirm = sql(`SELECT body FROM pages_outbox WHERE to_address = 'demo.${lang}@example.org' ORDER BY id DESC LIMIT 1`)
      .match(new RegExp(`/${lang}/panel/confirm-email/[0-9a-f]+`))
    assert.ok(confirm)
    await page.goto(base + confirm[0])
    await expectLangDir(page, lang, dir)
    await expectAccessible(page, `confirm an email address (${lang})`)
    await visit('/panel/me/delete', 'delete: are you sure?')
    await visit('/panel/signed-out', 'signed out')
    await visit('/panel/deleted', 'details deleted')
    await page.context().clearCookies() // signed out for the next language
  }
  // The confirmation page, after a real submission in English.
  await page.goto(base + '/en-GB/consultations/c-1/questions/1')
  await page.check('#answer-2')
  await page.click('button[type=submit]')
  await page.goto(base + '/en-GB/consultations/c-1/check')
  await page.click('#send')
  await page.waitForURL(/\/confirmation\//)
  await expectAccessible(page, 'confirmation (en-GB)')
  const ref = page.url().split('/').pop()
  await page.goto(base + `/ar/consultations/c-1/confirmation/${ref}`)
  await expectAccessible(page, 'confirmation (ar)')
  await context.close()
  assert.deepEqual(cspViolations, [])
})

test('joining the Citizens\' Panel in en-GB, cy and ar: the form, its error summary, check your email, the emailed link (axe on each)', async () => {
  const context = await newContext()
  const page = await context.newPage()
  for (const [lang, dir] of [['en-GB', 'ltr'], ['cy', 'ltr'], ['ar', 'rtl']]) {
    // Reached from the hub.
    await page.goto(base + `/${lang}/`)
    await page.click(`main a[href="/${lang}/panel/join"]`)
    assert.match(page.url(), new RegExp(`/${lang}/panel/join$`))
    await expectLangDir(page, lang, dir)
    await expectAccessible(page, `join the panel (${lang})`)
    await expectTargetSizes(page, `join the panel (${lang})`)
    await page.screenshot({ path: path.join(artifacts, `panel-join-${lang}.png`), fullPage: true })
    // Sent empty, without JavaScript's help: one summary naming the name, the address and the consent.
    await page.click('form[action$="/panel/join"] button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    const links = await page.locator('.govuk-error-summary__list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    assert.deepEqual(links, ['#name', '#email', '#consent'])
    await expectAccessible(page, `join the panel with errors (${lang})`)
    await page.screenshot({ path: path.join(artifacts, `panel-join-errors-${lang}.png`), fullPage: true })
    const email = `joiner.${lang}@example.org`
    await page.fill('#name', lang === 'ar' ? 'ليلى حسن' : 'Nia Newydd')
    await page.fill('#email', email)
    await page.fill('#postcode', 'w10 5ba')
    await page.check('#consent')
    await page.check('#sex-2') // "Prefer not to say", its own answer
    await page.check('#ethnicity')
    await page.click('form[action$="/panel/join"] button[type=submit]')
    assert.match(page.url(), new RegExp(`/${lang}/panel/joined$`))
    await expectLangDir(page, lang, dir)
    await expectAccessible(page, `joined: check your email (${lang})`)
    const facts = sql(`SELECT group_concat(f.key || '=' || f.value, ';') FROM panel_facts f JOIN panel_members m ON m.id = f.member_id
                       JOIN people p ON p.id = m.person_id WHERE p.data LIKE '%${email}%'`)
    assert.match(facts, /sex="?Prefer not to say"?(;|$)/)
    assert.match(facts, /postcode="?W10 5BA"?(;|$)/)
    const link = sql(`SELECT body FROM pages_outbox WHERE to_address = '${email}' ORDER BY id DESC LIMIT 1`)
      .match(new RegExp(`/${lang}/panel/confirm-email/[A-Za-z0-9_-]+`))
    assert.ok(link)
    await page.goto(base + link[0])
    await expectAccessible(page, `confirm the address after joining (${lang})`)
    await page.click('button[type=submit]')
    assert.match(page.url(), /\/panel\/email-confirmed$/)
    await page.context().clearCookies()
  }
  await context.close()
  assert.deepEqual(cspViolations, [])
})

test('the Forward Plan\'s Atom feed opened in a browser reads as a GOV.UK page (XSLT), and feed readers get the same feed', async () => {
  const res = await fetch(base + '/api/v1/forward-plan.atom')
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8')
  const xml = await res.text()
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<\?xml-stylesheet type="text\/xsl" href="\/assets\/forward-plan-feed.xsl"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/)
  const entries = (xml.match(/<entry>/g) || []).length
  assert.ok(entries > 0, 'the demo register has key decisions')
  const context = await newContext()
  const page = await context.newPage()
  await page.goto(base + '/api/v1/forward-plan.atom')
  assert.equal(await page.locator('h1.govuk-heading-xl').textContent(), 'Forward Plan of key decisions')
  assert.equal(await page.locator('main h2.govuk-heading-m').count(), entries)
  assert.equal(await page.getAttribute('html', 'lang'), 'en-GB')
  // Styled by GOV.UK Frontend, not the browser's XML tree.
  const font = await page.locator('h1').evaluate((el) => getComputedStyle(el).fontWeight)
  assert.equal(font, '700')
  // Chromium puts its own notice that it is phasing out XSLT above the page (an element of its own,
  // xslt-warning-banner, not part of the feed's page); axe checks the page itself.
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).exclude('xslt-warning-banner').analyze()
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    'axe violations on the Atom feed as a page')
  await page.screenshot({ path: path.join(artifacts, 'forward-plan-feed.png'), fullPage: true })
  await page.click('a[href="/en-GB/forward-plan"]')
  assert.match(page.url(), /\/en-GB\/forward-plan$/)
  await context.close()
})

test('a resident responds in Arabic, corrects an error, and the response is stored in Arabic', async () => {
  const context = await newContext({ locale: 'ar' })
  const page = await context.newPage()
  await page.goto(base + '/ar/consultations/c-1')
  await expectLangDir(page, 'ar', 'rtl')
  // The demo's library consultation is translated (a machine draft, flagged); the drop-in
  // session's English name and place are marked and isolated inside the Arabic sentence.
  assert.equal(await page.getAttribute('h1', 'lang'), 'ar')
  assert.equal(await page.locator('.townhall-machine-draft').count(), 1)
  assert.equal(await page.getAttribute('.townhall-events bdi', 'lang'), 'en-GB')
  assert.equal(await page.locator('.townhall-events bdi').first().innerText(), 'Drop-in session')
  await page.click('a.govuk-button--start')
  assert.match(page.url(), /\/ar\/consultations\/c-1\/questions\/1$/)
  // Continue without answering: the error summary and the inline error, in Arabic.
  await page.click('button[type=submit]')
  assert.equal(await page.locator('.govuk-error-summary').count(), 1)
  assert.match(await page.locator('.govuk-error-summary__list a').innerText(), /اختر إجابة/)
  assert.match(await page.title(), /^خطأ: /)
  assert.match(await page.locator('#answer-error').innerText(), /اختر إجابة/)
  // Correct it.
  await page.check('#answer') // نعم (yes)
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/questions\/2$/)
  await page.check('#answer-4') // 4 on the 1–5 scale
  await page.click('button[type=submit]')
  const why = 'المكتبة مهمة لأطفالنا يوم السبت'
  await page.fill('#answer', why)
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/check$/)
  const summary = await page.locator('.govuk-summary-list').innerText()
  assert.ok(summary.includes('نعم') && summary.includes('4') && summary.includes(why), summary)
  await page.click('#send')
  await page.waitForURL(/\/ar\/consultations\/c-1\/confirmation\/TH-/)
  const reference = page.url().split('/').pop()
  assert.ok((await page.locator('.govuk-panel__body').innerText()).includes(reference))

  // Stored through the API's committer, with its language.
  const res = await apiGet('/api/v1/responses/' + reference)
  assert.equal(res.status, 200)
  const stored = await res.json()
  assert.equal(stored.language, 'ar')
  assert.equal(stored.channel, 'online')
  assert.deepEqual(stored.answers, { agree: true, impact: 4, why })
  assert.equal(sql(`SELECT language FROM responses WHERE reference = '${reference}'`), 'ar')
  await context.close()
})

test('save and come back later by the emailed link, in Welsh', async () => {
  const context = await newContext({ locale: 'cy' })
  const page = await context.newPage()
  await page.goto(base + '/cy/consultations/c-1/questions/1')
  await page.check('#answer-2') // Nac ydw (no)
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/questions\/2$/)
  await page.click('a[href$="/save"]')
  await page.fill('#email', 'preswylydd@example.org')
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/cy\/consultations\/c-1\/saved$/)
  assert.ok((await page.locator('main').innerText()).includes('preswylydd@example.org'))
  await context.close()

  const body = sql("SELECT body FROM pages_outbox WHERE to_address = 'preswylydd@example.org' ORDER BY id DESC LIMIT 1")
  const link = body.match(/\/cy\/consultations\/c-1\/resume\/[0-9a-f]+/)
  assert.ok(link, body)
  // Another browser (no cookies): the link's button restores the answers and goes to the next question.
  const other = await newContext({ locale: 'cy' })
  const again = await other.newPage()
  await again.goto(base + link[0])
  await again.click('button[type=submit]')
  assert.match(again.url(), /\/cy\/consultations\/c-1\/questions\/2$/)
  await again.goto(base + '/cy/consultations/c-1/check')
  assert.ok((await again.locator('.govuk-summary-list').innerText()).includes('Nac ydw'))
  // The link works once.
  const reused = await again.goto(base + link[0])
  assert.equal(reused.status(), 410)
  await other.close()
})

test('forms work with JavaScript off, and a POST without its CSRF token is refused', async () => {
  const context = await newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(base + '/en-GB/consultations/c-1/questions/1')
  await page.check('#answer')
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/questions\/2$/)
  await context.close()

  const forged = await fetch(base + '/en-GB/consultations/c-1/questions/1', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: 'th_session=' + 'a'.repeat(43) },
    body: 'answer=yes&csrf=forged'
  })
  assert.equal(forged.status, 403)
  const csp = forged.headers.get('content-security-policy')
  assert.match(csp, /script-src 'self'/)
  assert.doesNotMatch(csp, /unsafe-inline/)
})

test('a panel member signs in by the emailed link and answers without being asked what we know', async () => {
  const context = await newContext()
  const page = await context.newPage()
  await page.goto(base + '/en-GB/panel/sign-in')
  await page.fill('#email', DEMO_MEMBER)
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/en-GB\/panel\/check-email$/)
  await page.goto(base + signInLink('en-GB'))
  await page.click('button[type=submit]') // opening the link alone signs nobody in
  assert.match(page.url(), /\/en-GB\/panel\/me$/)
  assert.ok((await page.locator('main').innerText()).includes('Social rented'))
  const cookie = (await context.cookies()).find((c) => c.name === 'th_member')
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Lax' && cookie.path === '/', JSON.stringify(cookie))

  // The tenure question is skipped: "Respond online" leads straight to question 2.
  await page.goto(base + '/en-GB/consultations/c-6')
  await page.click('a.govuk-button--start')
  assert.match(page.url(), /\/consultations\/c-6\/questions\/2$/)
  await page.check('#answer') // Walk
  await page.check('#answer-3') // Bike
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/questions\/3$/)
  await page.selectOption('#answer', '2') // Safer crossings second
  await page.selectOption('#answer-2', '1') // More trees first
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/questions\/4$/)
  await page.check('#answer') // yes
  await page.click('button[type=submit]')
  assert.match(page.url(), /\/check$/)
  const summary = await page.locator('.govuk-summary-list').innerText()
  assert.ok(summary.includes('Social rented') && summary.includes('We already know this'), summary)
  await page.click('#send')
  await page.waitForURL(/\/en-GB\/consultations\/c-6\/confirmation\/TH-/)
  const reference = page.url().split('/').pop()

  // Stored with the member's person id and the known answer filled in from the fact.
  const person = sql(`SELECT person_id FROM panel_members m JOIN people p ON p.id = m.person_id WHERE json_extract(p.data, '$.email') = '${DEMO_MEMBER}'`)
  assert.equal(sql(`SELECT person_id FROM responses WHERE reference = '${reference}'`), person)
  const answers = JSON.parse(sql(`SELECT answers FROM responses WHERE reference = '${reference}'`))
  assert.deepEqual(answers, { home: 'Social rented', modes: ['Walk', 'Bike'], priorities: ['More trees', 'Safer crossings'], agree: true })
  // The response is listed on "what the council holds about you".
  await page.goto(base + '/en-GB/panel/me')
  assert.ok((await page.locator('main').innerText()).includes(reference))
  // Signing out ends the session.
  await page.click('button:has-text("Sign out")')
  assert.match(page.url(), /\/en-GB\/panel\/signed-out$/)
  const after = await page.goto(base + '/en-GB/panel/me')
  assert.match(after.url(), /\/en-GB\/panel\/sign-in$/)
  await context.close()
  assert.deepEqual(cspViolations, [])
})

// Bytes over the wire for a resident on a phone: the first view of a consultation page (HTML,
// CSS, JavaScript, fonts, images) and the repeat view, from Chromium's network log
// (Network.loadingFinished's encodedDataLength: headers and compressed bodies as received).
test('a consultation page is at most 60 KB on first view and 10 KB on a repeat view', async () => {
  const context = await newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  let bytes = 0
  const seen = []
  cdp.on('Network.responseReceived', (e) => seen.push(`${e.response.status} ${e.response.url}`))
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength })
  const view = async () => {
    bytes = 0
    seen.length = 0
    await page.goto(base + '/en-GB/consultations/c-1', { waitUntil: 'networkidle' })
    return bytes
  }
  const first = await view()
  const firstSeen = [...seen]
  const repeat = await view()
  console.log(`consultation page: first view ${first} bytes (${firstSeen.length} responses), repeat view ${repeat} bytes (${seen.length} responses)`)
  assert.ok(first <= 60 * 1024, `first view ${first} bytes:\n${firstSeen.join('\n')}`)
  assert.ok(repeat <= 10 * 1024, `repeat view ${repeat} bytes:\n${seen.join('\n')}`)
  await context.close()
})
