// Behaviour every page shares, kept out of the markup (the content policy forbids inline script).
document.addEventListener("change", function (event) {
  "use strict";
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) { field.form.submit(); }
});
