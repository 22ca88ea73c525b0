// Task item form: show the chosen-branches list only for the "chosen" scope, and the meeting
// requirements only for the meeting kind. Without JavaScript every field simply stays visible.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("item-form");
  if (!form) return;
  const toggle = (fieldName, visible) => {
    const wrapper = document.getElementById(`div_id_${fieldName}`);
    if (wrapper) wrapper.classList.toggle("d-none", !visible);
  };
  const refresh = () => {
    const scope = form.querySelector("[name=scope]");
    const kind = form.querySelector("[name=kind]");
    if (scope) toggle("chosen_branches", scope.value === "chosen");
    if (kind) {
      toggle("required_meeting_type", kind.value === "meeting");
      toggle("required_theme", kind.value === "meeting");
    }
  };
  form.addEventListener("change", refresh);
  refresh();
});
