// Samen's only script. Every page works without it; it and htmx (from django-htmx) add the niceties.
(function () {
  "use strict";

  // The header menu and the household's sub-navigation are <details> that CSS keeps open on wide screens
  // (::details-content). Browsers without that selector get them opened here instead, and closed again on
  // a phone-sized window.
  function keepMenusOpenWhenWide() {
    var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
    if (supported) {
      return;
    }
    var wide = window.matchMedia("(min-width: 48rem)");
    function apply() {
      document.querySelectorAll("details[data-samen-menu]").forEach(function (menu) {
        menu.open = wide.matches;
      });
    }
    apply();
    wide.addEventListener("change", apply);
  }

  // A text box with a limit shows how many characters are left, and says so plainly when there are too many;
  // the server refuses too long a text with a message and keeps what was typed (nothing is cut off).
  function countCharacters(root) {
    root.querySelectorAll("[data-samen-limit]").forEach(function (field) {
      if (field.dataset.samenCounted) {
        return;
      }
      field.dataset.samenCounted = "true";
      var limit = parseInt(field.dataset.samenLimit, 10);
      var counter = document.getElementById(field.dataset.samenCounter);
      if (!counter || !limit) {
        return;
      }
      var left = counter.dataset.left;
      var over = counter.dataset.over;
      function update() {
        var rest = limit - field.value.length;
        counter.textContent = (rest >= 0 ? left : over).replace("%(count)s", Math.abs(rest).toLocaleString());
        counter.classList.toggle("samen-counter--over", rest < 0);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    keepMenusOpenWhenWide();
    countCharacters(document);
    // After a failed form submission, move focus to the error summary, so screen readers hear it.
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.focus();
      return;
    }
    // After a change on a long page (the consent matrix), focus lands on the row that changed.
    var changed = document.querySelector("[data-samen-focus]");
    if (changed) {
      changed.focus();
    }
  });

  // Content that htmx swaps in gets the same treatment; a swapped-in element that asks for focus gets it (the
  // swapped element itself, e.g. a consent row replaced whole, or one inside it).
  document.addEventListener("htmx:afterSettle", function (event) {
    countCharacters(document);
    var target = event.detail && event.detail.elt;
    var changed = target && target.matches && target.matches("[data-samen-focus]") ? target : null;
    changed = changed || document.querySelector("[data-samen-focus]");
    if (changed) {
      changed.focus();
    }
  });
})();
