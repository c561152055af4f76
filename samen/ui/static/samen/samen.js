// Samen's only script. Pages work without it; htmx (from django-htmx) adds the niceties.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to an error summary after a failed form submission, so screen readers hear it.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
});
