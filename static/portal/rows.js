// Repeatable rows of the attachment forms (Django inline formsets): add, remove and move rows
// without reloading. No inline scripts: the Content Security Policy forbids them.
(function () {
  "use strict";

  function setup(container) {
    const prefix = container.dataset.rowsPrefix;
    const list = container.querySelector(".sheet-rows");
    const total = container.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const template = container.querySelector("#sheet-row-template");
    if (!list || !total || !template) return;

    function visibleRows() {
      return Array.from(list.querySelectorAll("[data-row]")).filter((row) => !row.hidden);
    }

    // Positions follow the order on the page; the server numbers rows from them.
    function renumber() {
      visibleRows().forEach((row, index) => {
        const position = row.querySelector('input[name$="-position"]');
        if (position) position.value = String(index + 1);
        const number = row.querySelector("[data-row-number]");
        if (number) number.textContent = String(index + 1);
      });
    }

    function enhance(row) {
      const deleteBox = row.querySelector("[data-row-delete]");
      if (deleteBox) deleteBox.hidden = true;
    }

    list.querySelectorAll("[data-row]").forEach(enhance);

    container.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button || !container.contains(button)) return;
      const row = button.closest("[data-row]");
      if (button.hasAttribute("data-row-add")) {
        const index = Number(total.value);
        const html = template.innerHTML.replace(/__prefix__/g, String(index));
        const holder = document.createElement("div");
        holder.innerHTML = html.trim();
        const added = holder.firstElementChild;
        list.appendChild(added);
        total.value = String(index + 1);
        enhance(added);
        renumber();
        const first = added.querySelector("textarea, input:not([type=hidden]), select");
        if (first) first.focus();
      } else if (row && button.hasAttribute("data-row-remove")) {
        const checkbox = row.querySelector('input[name$="-DELETE"]');
        if (checkbox) checkbox.checked = true;
        row.hidden = true;
        renumber();
      } else if (row && button.hasAttribute("data-row-up")) {
        const rows = visibleRows();
        const at = rows.indexOf(row);
        if (at > 0) list.insertBefore(row, rows[at - 1]);
        renumber();
      } else if (row && button.hasAttribute("data-row-down")) {
        const rows = visibleRows();
        const at = rows.indexOf(row);
        if (at >= 0 && at < rows.length - 1) list.insertBefore(rows[at + 1], row);
        renumber();
      }
    });
    renumber();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".sheet-form[data-rows-prefix]").forEach(setup);
  });
})();
