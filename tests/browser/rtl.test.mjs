// Right-to-left geometry of the residents' pages: the boxes of the header's service name, the
// lists (languages, close dates, documents) and the radios and checkboxes in Arabic must be the
// mirror image of English — as far from the right edge in `ar` as from the left in `en-GB`, and
// a label as far from its drawn box. GOV.UK Frontend assumes left to right; web/townhall.css
// mirrors it. Each page type is also screenshot in Arabic into the test output directory.
//
// Environment as tests/browser/harness.mjs.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cli, artifacts, AxeBuilder, WCAG_TAGS, startServer, stopServer, launchBrowser } from './harness.mjs'

let tmp, server, base, browser

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'townhall-rtl-'))
  const db = path.join(tmp, 'townhall.db')
  execFileSync(cli, ['demo', 'seed', '--db', db], { encoding: 'utf8' })
  // With the sample council configuration, so the accessibility statement and privacy notice are
  // the council's own.
  const council = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'config', 'council.sample.json')
  ;({ server, base } = await startServer(db, ['--council-config', council]))
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  await stopServer(server)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

const TOLERANCE = 3  // CSS px: sub-pixel rounding and glyph side bearings differ between scripts

// Distances from the edge each element starts at: from the left in a left-to-right page, from the
// right in a right-to-left one, measured against the page's width container.
async function measure (page) {
  return page.evaluate(() => {
    const rtl = document.documentElement.dir === 'rtl'
    const start = (r, frame) => rtl ? frame.right - r.right : r.left - frame.left
    const header = document.querySelector('.govuk-header__container').getBoundingClientRect()
    const body = document.querySelector('main').closest('.govuk-width-container').getBoundingClientRect()
    const out = {}
    const service = document.querySelector('.govuk-header__service-name')
    if (service) out.header = start(service.getBoundingClientRect(), header)
    const lists = { languages: '.townhall-languages__item', dates: '.townhall-dates li', documents: '.townhall-documents li', events: '.townhall-events li', contact: '.townhall-contact li', bullets: '.govuk-list--bullet li' }
    for (const [name, selector] of Object.entries(lists)) {
      const el = document.querySelector(selector)
      if (!el) continue
      out[name] = start(el.getBoundingClientRect(), body)
      // A list item's text, not only its box: an indent inside the item shows here.
      const range = document.createRange()
      range.selectNodeContents(el)
      const rects = [...range.getClientRects()].filter((r) => r.width > 0)
      if (rects.length) out[name + '_text'] = Math.min(...rects.map((r) => start(r, body)))
    }
    // Radios and checkboxes: where the drawn box is (the label's ::before, absolutely placed in
    // the item) and how far the label's text starts from it.
    const items = [...document.querySelectorAll('.govuk-radios__item, .govuk-checkboxes__item')]
    out.controls = items.map((item) => {
      const label = item.querySelector('label')
      const i = item.getBoundingClientRect()
      const before = getComputedStyle(label, '::before')
      const boxLeft = i.left + parseFloat(before.left)
      const box = { left: boxLeft, right: boxLeft + parseFloat(before.width) }
      const range = document.createRange()
      range.selectNodeContents(label)
      const rects = [...range.getClientRects()].filter((r) => r.width > 0)
      const text = { left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)) }
      return {
        box: start(box, body),
        gap: rtl ? box.left - text.right : text.left - box.right
      }
    })
    return out
  })
}

function expectMirrored (en, ar, label) {
  for (const key of Object.keys(en)) {
    if (key === 'controls') continue
    assert.ok(key in ar, `${label}: ${key} is missing in ar`)
    assert.ok(Math.abs(en[key] - ar[key]) <= TOLERANCE,
      `${label}: ${key} starts ${ar[key].toFixed(1)} px from the right edge in ar but ${en[key].toFixed(1)} px from the left in en-GB`)
  }
  assert.equal(ar.controls.length, en.controls.length, `${label}: as many radios or checkboxes`)
  en.controls.forEach((c, i) => {
    const a = ar.controls[i]
    assert.ok(Math.abs(c.box - a.box) <= TOLERANCE, `${label}: control ${i + 1}'s box is ${a.box.toFixed(1)} px from the right in ar, ${c.box.toFixed(1)} px from the left in en-GB`)
    assert.ok(Math.abs(c.gap - a.gap) <= TOLERANCE, `${label}: control ${i + 1}'s label is ${a.gap.toFixed(1)} px from its box in ar, ${c.gap.toFixed(1)} px in en-GB`)
  })
}

const PAGES = [
  ['hub', '/'],
  ['consultation', '/consultations/c-1'],
  ['consultation-with-outcome', '/consultations/c-4'],
  ['results', '/consultations/c-4/results'],
  ['question-radios', '/consultations/c-1/questions/1'],
  ['question-checkboxes', '/consultations/c-6/questions/2'],
  ['check-answers', '/consultations/c-1/check'],
  ['accessibility', '/accessibility'],
  ['privacy', '/privacy'],
  ['forward-plan', '/forward-plan'],
  ['panel-sign-in', '/panel/sign-in']
]

for (const width of [1280, 412]) {
  test(`Arabic pages mirror English at ${width} px: header, lists, radios and checkboxes`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } })
    const page = await context.newPage()
    for (const [name, pathname] of PAGES) {
      await page.goto(base + '/en-GB' + pathname)
      const en = await measure(page)
      const res = await page.goto(base + '/ar' + pathname)
      assert.equal(res.status(), 200, `${name} in ar`)
      const ar = await measure(page)
      if (width === 1280) await page.screenshot({ path: path.join(artifacts, `rtl-${name}-ar.png`), fullPage: true })
      expectMirrored(en, ar, `${name} at ${width} px`)
    }
    await context.close()
  })
}

test('the checks would see the faults they are for', async () => {
  // Without Townhall's right-to-left rules the Arabic page shows each fault the checks are for.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(base + '/en-GB/consultations/c-6/questions/2')
  const en = await measure(page)
  await page.goto(base + '/ar/consultations/c-6/questions/2')
  await page.evaluate(() => document.querySelector('link[href*="townhall"][rel=stylesheet]').remove())
  const bare = await measure(page)
  assert.throws(() => expectMirrored(en, bare, 'GOV.UK alone'))
  assert.ok(Math.abs(bare.header - en.header) > 30, 'the service name is away from the right edge')
  assert.ok(bare.languages - en.languages > 30, 'the language list is indented from the right edge')
  await context.close()
})

test('the council\'s accessibility statement and privacy notice have no axe violations in en-GB, cy and ar', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  for (const lang of ['en-GB', 'cy', 'ar']) {
    for (const pathname of ['/accessibility', '/privacy', '/forward-plan']) {
      const res = await page.goto(base + `/${lang}${pathname}`)
      assert.equal(res.status(), 200)
      if (pathname === '/accessibility') assert.match(await page.locator('main').innerText(), /Royal Borough of Exampleshire/)
      const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
      assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.help}`), [], `${lang}${pathname}`)
    }
  }
  await context.close()
})
