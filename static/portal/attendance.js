// Attendance table of a meeting record: the reason is asked only for absent members.
(function () {
  "use strict";
  var table = document.getElementById("attendance-table");
  if (!table) { return; }
  function sync(row) {
    var status = row.querySelector(".att-status");
    var reason = row.querySelector(".att-reason");
    var absent = status.value === "absent";
    reason.disabled = !absent;
    if (!absent) { reason.value = ""; }
  }
  table.querySelectorAll("tbody tr").forEach(function (row) {
    sync(row);
    row.querySelector(".att-status").addEventListener("change", function () { sync(row); });
  });
  var allPresent = document.getElementById("all-present");
  if (allPresent) {
    allPresent.addEventListener("click", function () {
      table.querySelectorAll("tbody tr").forEach(function (row) {
        row.querySelector(".att-status").value = "present";
        sync(row);
      });
    });
  }
})();
