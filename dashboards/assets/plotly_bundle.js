/* Which plotly.js dcc.Graph loads. dcc.Graph loads plotly.js the first time a graph is drawn,
 * from window._dashPlotlyJSURL, which Dash's renderer sets after start-up to Dash's full
 * bundle (every trace type, 4.8 MB, about a second of main-thread CPU to compile). The
 * dashboard draws only scatter traces, so the URL is the basic partial bundle of the same
 * plotly.js version (bar, pie, scatter; 1.2 MB), vendored in assets/vendor (SOURCES.md there)
 * and kept out of Dash's automatic asset list, so pages without a graph never load it. The
 * property keeps this URL when the renderer assigns its own. Local file, no network. */
(function () {
  var here = document.currentScript ? document.currentScript.src : window.location.href;
  var url = new URL('vendor/plotly-basic-4.1.1.min.js', here).href;
  Object.defineProperty(window, '_dashPlotlyJSURL', {
    configurable: true,
    get: function () { return url; },
    set: function () { /* the renderer's full-bundle URL: ignored */ }
  });
})();
