/* The district map (dashboards/map_svg.py): the server sends the SVG text in the map's
 * data-svg attribute; this puts it into the page, shows the district under the pointer or
 * keyboard focus in the line above the map (#map-hover, empty otherwise), and makes a click
 * (or Enter) on a district set the page's district control, as a click on the former Plotly
 * map did. Local file, no network; the SVG is built by our server from escaped text. */
(function () {
  function draw(root) {
    root.querySelectorAll('#map-graph[data-svg]').forEach(function (box) {
      var svg = box.getAttribute('data-svg');
      if (box.__otshSvg !== svg) {
        box.innerHTML = svg;
        box.__otshSvg = svg;
      }
    });
  }
  function district(event) {
    var target = event.target;
    return target && target.closest ? target.closest('#map-graph a.district') : null;
  }
  function show(link) {
    var line = document.getElementById('map-hover');
    if (line) { line.textContent = link ? link.getAttribute('aria-label') : ''; }
  }
  document.addEventListener('click', function (event) {
    var link = district(event);
    if (!link || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    event.preventDefault();
    window.dash_clientside.set_props({type: 'ctl', name: 'district'},
                                     {value: link.getAttribute('data-district')});
  });
  document.addEventListener('mouseover', function (event) { show(district(event)); });
  document.addEventListener('focusin', function (event) { show(district(event)); });
  var observer = new MutationObserver(function () { draw(document); });
  function start() {
    draw(document);
    observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                     attributeFilter: ['data-svg']});
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
