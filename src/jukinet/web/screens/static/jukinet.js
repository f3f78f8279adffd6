// jukinet screens: the CSRF header on every HTMX request, the screen lock on inactivity,
// and keyboard shortcuts (data-shortcut="s" → Alt+S). No framework, no build step.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  document.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-CSRF-Token"] = csrf();
  });

  // The screen lock: hide the page at once, lock the session on the server, show the lock screen.
  function lockNow() {
    document.getElementById("veil")?.removeAttribute("hidden");
    const next = encodeURIComponent(location.pathname + location.search);
    fetch("/ui/lock-now?next=" + next, {
      method: "POST", headers: { "X-CSRF-Token": csrf(), "HX-Request": "true" },
      credentials: "same-origin",
    }).finally(() => { location.assign("/ui/lock?next=" + next); });
  }

  function startIdleTimer() {
    const minutes = Number(document.body.dataset.lockMinutes || 0);
    if (!minutes) return;
    let timer;
    const reset = () => { clearTimeout(timer); timer = setTimeout(lockNow, minutes * 60000); };
    ["keydown", "pointerdown", "pointermove", "wheel"].forEach((kind) =>
      document.addEventListener(kind, reset, { passive: true }));
    reset();
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-lock-now]")) lockNow();
  });

  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const target = document.querySelector(`[data-shortcut="${event.key.toLowerCase()}"]`);
    if (target) { event.preventDefault(); target.focus(); if (target.matches("a, button, [role=button]")) target.click(); }
  });

  document.addEventListener("DOMContentLoaded", startIdleTimer);
})();
