/* Fit each panel of the district map (mainland, Azores, Madeira) to its own extent at the
 * width the map is drawn at, so the islands stay legible on a phone and are not cut. The
 * extents come from the figure (layout.meta.fit, written by dashboards/figures.py). Uses only
 * Plotly's public relayout. Local file, no network. */
(function () {
  function mercY(lat) {
    var r = lat * Math.PI / 180;
    return Math.log(Math.tan(Math.PI / 4 + r / 2));
  }
  function fit(gd) {
    var meta = gd.layout && gd.layout.meta && gd.layout.meta.fit;
    var full = gd._fullLayout;
    if (!meta || !full || !window.Plotly) { return; }
    // the plot area as drawn (margins grown by the legend included), with a little room
    var size = full._size || {w: full.width - full.margin.l - full.margin.r,
                              h: full.height - full.margin.t - full.margin.b};
    var width = size.w * 0.94;
    var height = size.h * 0.94;
    var update = {};
    Object.keys(meta).forEach(function (name) {
      var box = meta[name];  // [west, south, east, north]
      var dom = gd.layout[name].domain;
      var w = width * (dom.x[1] - dom.x[0]);
      var h = height * (dom.y[1] - dom.y[0]);
      var zx = Math.log2(w * 360 / (512 * (box[2] - box[0])));
      var zy = Math.log2(h * 2 * Math.PI / (512 * (mercY(box[3]) - mercY(box[1]))));
      var zoom = Math.round(Math.min(zx, zy) * 100) / 100;
      var current = gd.layout[name].zoom;
      if (current === undefined || Math.abs(current - zoom) > 0.05) {
        update[name + '.zoom'] = zoom;
      }
    });
    if (Object.keys(update).length) { window.Plotly.relayout(gd, update); }
  }
  function watch(root) {
    root.querySelectorAll('#map-graph .js-plotly-plot').forEach(function (gd) {
      if (!gd.__otshFit && gd.on) {
        gd.__otshFit = true;
        // after Plotly has finished drawing (maps load their style asynchronously): never
        // relayout from inside a draw
        gd.on('plotly_afterplot', function () {
          clearTimeout(gd.__otshFitTimer);
          gd.__otshFitTimer = setTimeout(function () { fit(gd); }, 50);
        });
      }
    });
  }
  var observer = new MutationObserver(function () { watch(document); });
  function start() {
    watch(document);
    observer.observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
