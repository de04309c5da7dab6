// Starts GOV.UK Frontend's components on every page.
//
// A file rather than the documented inline snippet, so that a Content-Security-Policy
// never has to allow inline scripts. GOV.UK Frontend v5 only starts its components (and its
// CSS only hides what JavaScript will reveal) once the body carries this class.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Approvals: "All of a service" ticks (or clears) that service's values. The server selects
// them anyway when the box is posted, so this only shows what will happen.
document.querySelectorAll("[data-select-service]").forEach((box) => {
  box.addEventListener("change", () => {
    const service = box.dataset.selectService;
    document.querySelectorAll(`input[name="values"][data-service="${CSS.escape(service)}"]`).forEach((value) => {
      value.checked = box.checked;
    });
  });
});
