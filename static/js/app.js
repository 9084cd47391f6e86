// Page behaviour shared by every page. No inline scripts: the Content Security Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so that keyboard and screen-reader users hear what went wrong.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// The site search's menu (templates/_partials/search_box.html): opening it puts the cursor in the box.
document.addEventListener("shown.bs.dropdown", (event) => {
  const box = event.target.closest(".site-search")?.querySelector("input[type=search]");
  if (box) {
    box.focus();
  }
});

// A table wider than its box scrolls sideways, and keyboard users must be able to reach what is out
// of view (WCAG 2.1.1; axe's scrollable-region-focusable): such a box becomes a focusable region
// named by its table's caption. Checked on load, when a collapsed section opens, and on resize.
function focusScrollableTables() {
  document.querySelectorAll(".table-responsive:not([tabindex])").forEach((box) => {
    if (box.scrollWidth > box.clientWidth) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `${caption ? caption.textContent.trim() : "Table"} (scrolls sideways)`);
    }
  });
}
document.addEventListener("DOMContentLoaded", focusScrollableTables);
document.addEventListener("toggle", focusScrollableTables, true);
window.addEventListener("resize", focusScrollableTables);
