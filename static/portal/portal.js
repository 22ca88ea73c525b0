// Portal behaviour without inline scripts (the Content Security Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("click", (event) => {
    // Elements with data-confirm ask before submitting or following a link.
    const target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // The back link of an error page returns to the portal page the visitor came from;
    // when they came from elsewhere (or typed the address) it follows its href home.
    const back = event.target.closest("[data-history-back]");
    if (back && document.referrer && history.length > 1) {
      if (new URL(document.referrer).origin === window.location.origin) {
        event.preventDefault();
        history.back();
      }
    }
  });
});
