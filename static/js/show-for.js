// Show a form part only for the choices it applies to: an element with
// data-show-for="a b c" and data-show-when="<id of a select>" is hidden unless the select's
// value is one of a, b, c. Without JavaScript every part stays visible; the server validates.
(function () {
  function update(select) {
    document.querySelectorAll('[data-show-when="' + select.id + '"]').forEach(function (part) {
      part.hidden = part.dataset.showFor.split(" ").indexOf(select.value) === -1;
    });
  }
  document.querySelectorAll("[data-show-when]").forEach(function (part) {
    var select = document.getElementById(part.dataset.showWhen);
    if (select && !select.dataset.showForBound) {
      select.dataset.showForBound = "1";
      select.addEventListener("change", function () { update(select); });
      update(select);
    }
  });
})();
