// Unsaved input of a task's form is kept in the browser (localStorage) while it is typed, so
// a closed tab or a lost connection loses nothing. It is offered back only while the task is
// still at the version the input was typed on: once a save or submit went through (or someone
// else saved), the version changed and the kept input is dropped. No inline scripts (CSP).
(function () {
  "use strict";

  const PREFIX = "portal-unsaved:";
  // Never kept: the page's own bookkeeping, always taken from the server.
  const SKIPPED = /^(csrfmiddlewaretoken|version)$|-(id|sheet)$|__prefix__/;
  // Set while the kept input is being thrown away, so the change events of that moment are
  // not kept again.
  let discarding = false;

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(PREFIX + key) || "null");
    } catch (error) {
      return null;
    }
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(PREFIX + key);
    } catch (error) {
      // storage unavailable (private mode, quota): nothing was kept
    }
  }

  function kept(form) {
    return Array.from(form.elements).filter(
      (el) => el.name && el.type !== "file" && el.type !== "submit" && !SKIPPED.test(el.name),
    );
  }

  function snapshot(form) {
    const values = [];
    kept(form).forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") {
        values.push([el.name, el.value, el.checked]);
      } else if (el.multiple) {
        values.push([el.name, Array.from(el.selectedOptions).map((o) => o.value), true]);
      } else {
        values.push([el.name, el.value, true]);
      }
    });
    return values;
  }

  function store(form, key, version) {
    if (discarding) return;
    try {
      const record = { version: version, values: snapshot(form), at: Date.now() };
      window.localStorage.setItem(PREFIX + key, JSON.stringify(record));
    } catch (error) {
      // storage full or unavailable: the server-side draft is still there
    }
  }

  // Rows added in the browser are not on the server's page: add them again first.
  function addRows(form, values) {
    const totals = values.filter(([name]) => /-TOTAL_FORMS$/.test(name));
    totals.forEach(([name, wanted]) => {
      const total = form.querySelector(`input[name="${name}"]`);
      const container = total && total.closest("[data-rows-prefix]");
      const add = container && container.querySelector("[data-row-add]");
      if (!add) return;
      let guard = 200;
      while (Number(total.value) < Number(wanted) && guard-- > 0) add.click();
    });
  }

  function restore(form, values) {
    addRows(form, values);
    const byName = new Map();
    kept(form).forEach((el) => {
      if (!byName.has(el.name)) byName.set(el.name, []);
      byName.get(el.name).push(el);
    });
    values.forEach(([name, value, on]) => {
      (byName.get(name) || []).forEach((el) => {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === value) el.checked = on;
        } else if (el.multiple && Array.isArray(value)) {
          Array.from(el.options).forEach((o) => (o.selected = value.includes(o.value)));
        } else if (!Array.isArray(value)) {
          el.value = value;
        }
      });
    });
    // A row removed before the tab was closed stays removed.
    form.querySelectorAll("[data-row]").forEach((row) => {
      const deleted = row.querySelector('input[name$="-DELETE"]');
      if (deleted && deleted.checked) row.hidden = true;
    });
  }

  function notice(form, key) {
    const template = document.getElementById("unsaved-notice");
    if (!template) return;
    const box = template.content.firstElementChild.cloneNode(true);
    box.querySelector("[data-unsaved-discard]").addEventListener("click", () => {
      discarding = true; // the unload below must not keep the input again
      forget(key);
      window.location.replace(window.location.href);
    });
    form.parentNode.insertBefore(box, form);
  }

  function setup(form) {
    const key = form.dataset.keepKey;
    const version = form.dataset.keepVersion;
    const record = read(key);
    if (record && String(record.version) !== version) {
      forget(key); // saved or submitted since (here or elsewhere): the input is on the server
    } else if (record && !form.hasAttribute("data-keep-bound")) {
      // A page re-shown after a refused save already carries the input; a fresh page does not.
      restore(form, record.values);
      notice(form, key);
    }
    const save = () => store(form, key, version);
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("click", (event) => {
      // adding, removing or moving a row changes the form without an input event
      if (event.target.closest("[data-row] button, [data-row-add]")) window.setTimeout(save, 0);
    });
  }

  // Logging out leaves nothing of the user's typing in this browser (a shared office computer).
  function forgetAll() {
    try {
      Object.keys(window.localStorage)
        .filter((name) => name.startsWith(PREFIX))
        .forEach((name) => window.localStorage.removeItem(name));
    } catch (error) {
      // storage unavailable: nothing was kept
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-keep-key]").forEach(setup);
    document.querySelectorAll("form[data-keep-clear]").forEach((form) => {
      form.addEventListener("submit", forgetAll);
    });
    document.querySelectorAll("[data-keep-forget]").forEach((el) => forget(el.dataset.keepForget));
  });
})();
