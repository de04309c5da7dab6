// While a confirmed import runs, show "rows done of total" from the progress URL; without
// JavaScript the form posts as usual and the result page shows when the import is done.
const form = document.getElementById("confirm-import");
if (form) {
  form.addEventListener("submit", () => {
    const status = document.getElementById("import-progress");
    status.textContent = "Importing…";
    const poll = async () => {
      try {
        const response = await fetch(form.dataset.progressUrl, { credentials: "same-origin" });
        const { done, total } = await response.json();
        if (total) status.textContent = `${done.toLocaleString()} of ${total.toLocaleString()} rows done`;
      } catch (error) {
        return;
      }
      setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
  });
}
