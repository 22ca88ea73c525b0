// Dashboard charts and filter behaviour. Data comes from the json_script element
// "dashboard-data"; without JavaScript the matrix and lists still work.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("dashboard-filters");
  if (form) {
    // Changing a filter applies it at once; the button stays for keyboard users.
    form.addEventListener("change", () => form.requestSubmit());
  }
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = {
    pending: "#adb5bd",
    draft: "#6ea8fe",
    submitted: "#0d6efd",
    returned: "#fd7e14",
    approved: "#198754",
    overdue: "#dc3545",
  };
  const timeline = document.getElementById("chart-timeline");
  if (timeline) {
    new Chart(timeline, {
      data: {
        labels: data.timeline.labels,
        datasets: [
          {
            type: "line",
            label: data.timeline.handed_in_label,
            data: data.timeline.handed_in,
            borderColor: "#198754",
            backgroundColor: "#198754",
            tension: 0.2,
            yAxisID: "y",
          },
          {
            type: "bar",
            label: data.timeline.due_label,
            data: data.timeline.due,
            backgroundColor: "rgba(220, 53, 69, 0.5)",
            yAxisID: "y",
          },
        ],
      },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
    });
  }
  const areas = document.getElementById("chart-areas");
  if (areas) {
    new Chart(areas, {
      type: "bar",
      data: {
        labels: data.areas.labels,
        datasets: data.areas.datasets.map((set) => ({
          label: set.label,
          data: set.data,
          backgroundColor: colours[set.key] || "#6c757d",
        })),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        indexAxis: "y",
        scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } },
      },
    });
  }
});
