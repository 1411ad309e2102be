// Progressive enhancement only: every page works without this script (served as /assets/townhall.js
// under a Content-Security-Policy that allows no inline script).
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) document.body.classList.add('govuk-frontend-supported')
initAll()
