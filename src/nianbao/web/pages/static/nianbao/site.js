// Behaviour every page shares, kept out of the markup (the content policy forbids inline script).
document.addEventListener("change", function (event) {
  "use strict";
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) { field.form.submit(); }
});

// A form that removes something asks first (data-confirm holds the question).
document.addEventListener("submit", function (event) {
  "use strict";
  var question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) { event.preventDefault(); }
});
