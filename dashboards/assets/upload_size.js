/* Submit page: dcc.Upload's max_size makes the browser drop a file over the limit without a
 * callback, so the partner saw nothing happen. Before the drop zone handles a chosen or
 * dropped file, check its size and show the page's bilingual message (#submit-too-large,
 * text and limit rendered by the server) or hide it again for a file within the limit.
 * Local file, no network. */
(function () {
  function check(files, zone) {
    var note = document.getElementById('submit-too-large');
    if (!note || !files || !files.length || !zone) {
      return;
    }
    var limit = Number(note.getAttribute('data-max-bytes'));
    var big = Array.prototype.filter.call(files, function (f) { return f.size > limit; });
    if (!big.length) {
      note.hidden = true;
      note.textContent = '';
      return;
    }
    note.textContent = note.getAttribute('data-message')
      .replace('{name}', big[0].name)
      .replace('{size}', String(Math.ceil(big[0].size / 1024)));
    note.hidden = false;
  }
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (input && input.type === 'file') {
      check(input.files, input.closest('#submit-upload'));
    }
  }, true);
  document.addEventListener('drop', function (event) {
    var zone = event.target && event.target.closest && event.target.closest('#submit-upload');
    check(event.dataTransfer && event.dataTransfer.files, zone);
  }, true);
})();
