// The problem page: a section named in the URL (#analysis, #decision-12, #evaluation-heading)
// opens, with every collapsed section around it, on load and whenever the fragment changes (the
// progress list's links). No inline scripts: the Content Security Policy forbids them.
(() => {
  const openTarget = () => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    if (!target) {
      return;
    }
    let opened = false;
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    if (opened) {
      target.scrollIntoView();
    }
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
