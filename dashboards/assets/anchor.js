/* A link to a section of a page (e.g. a notice's "(see Methodology)" to
 * /methodology#disclosure): the page's content is drawn after the browser's load, when the
 * browser has already looked for the section and not found it, so the page stayed at its
 * top. This scrolls to the section once it is drawn and moves the keyboard focus there
 * (again if the page is drawn anew, or if the focus did not take while the page was still
 * being drawn), until the reader scrolls, types or touches, and at most 10 s after load.
 * Local file, no network. */
(function () {
  var EVENTS = ['wheel', 'keydown', 'touchstart', 'mousedown'];
  function target() {
    var id = window.location.hash ? decodeURIComponent(window.location.hash.slice(1)) : '';
    return id ? document.getElementById(id) : null;
  }
  function start() {
    if (!window.location.hash) { return; }
    var shown = null;
    var timer = null;
    function go() {
      var element = target();
      if (!element) { return; }
      if (element !== shown) {
        shown = element;
        element.scrollIntoView();
      }
      var active = document.activeElement;
      if (active !== element && (!active || active === document.body)) {
        if (!element.hasAttribute('tabindex')) { element.setAttribute('tabindex', '-1'); }
        element.focus({preventScroll: true});
      }
    }
    function stop() {
      clearInterval(timer);
      EVENTS.forEach(function (name) { window.removeEventListener(name, stop, true); });
    }
    EVENTS.forEach(function (name) { window.addEventListener(name, stop, true); });
    timer = setInterval(go, 100);
    setTimeout(stop, 10000);
    go();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
