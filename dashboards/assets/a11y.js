/* Accessibility fix for Dash 4.4 dcc.Dropdown: its keyboard focus target is an <input> with
 * aria-hidden="true" but tabindex=0 (axe: aria-hidden-focus). Expose it to assistive
 * technology instead, named by the control's visible label. Also names dcc.Upload's file
 * input (Submit page) by its drop zone's text. Local file, no network. */
(function () {
  function fix(root) {
    var inputs = root.querySelectorAll
      ? root.querySelectorAll('input.dash-dropdown-focus-target[aria-hidden="true"]') : [];
    inputs.forEach(function (input) {
      input.removeAttribute('aria-hidden');
      var control = input.closest('.control');
      var label = control && control.querySelector('.control-label');
      if (label) {
        input.setAttribute('aria-label', label.textContent);
      }
      input.setAttribute('role', 'combobox');
      input.setAttribute('aria-expanded', 'false');
    });
    /* dcc.Upload's hidden file <input> has no label: name it by the drop zone's text. */
    var files = root.querySelectorAll
      ? root.querySelectorAll('.submit-upload input[type="file"]:not([aria-label])') : [];
    files.forEach(function (input) {
      var zone = input.closest('.submit-upload');
      input.setAttribute('aria-label', zone ? zone.textContent.trim() : 'file');
    });
  }
  var observer = new MutationObserver(function () { fix(document); });
  function start() {
    fix(document);
    observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                     attributeFilter: ['aria-hidden']});
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
