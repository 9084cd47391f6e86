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
