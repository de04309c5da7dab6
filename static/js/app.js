// Starts GOV.UK Frontend's components on every page.
//
// A file rather than the documented inline snippet, so that a Content-Security-Policy
// never has to allow inline scripts. GOV.UK Frontend v5 only starts its components (and its
// CSS only hides what JavaScript will reveal) once the body carries this class.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
