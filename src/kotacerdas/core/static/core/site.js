// Behaviour shared by every page, kept out of the HTML: the Content-Security-Policy allows no inline script.
// <select data-autosubmit> submits its form when it changes (the year pickers of the dashboards).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
