// Camera scanning for /scan: the phone's camera decodes QR and Data Matrix labels in the
// browser. Native BarcodeDetector where the browser has it; otherwise the bundled ZXing
// decoder (loaded on first use). A decoded label fills the scan box and submits it.
(function () {
  const button = document.getElementById('camera-start');
  const panel = document.getElementById('camera-panel');
  const video = document.getElementById('camera-video');
  const status = document.getElementById('camera-status');
  const input = document.getElementById('code');
  if (!button || !video || !input) return;
  let stream = null;
  let stopZxing = null;

  const say = (key) => { status.textContent = status.getAttribute('data-' + key) || ''; };

  function done(text) {
    stop();
    input.value = text;
    input.form.submit();
  }

  function stop() {
    if (stopZxing) { stopZxing(); stopZxing = null; }
    if (stream) { stream.getTracks().forEach((t) => t.stop()); stream = null; }
    panel.hidden = true;
    button.hidden = false;
  }

  async function withNative() {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    const wanted = ['qr_code', 'data_matrix'].filter((f) => formats.includes(f));
    if (wanted.length === 0) return false;
    const detector = new window.BarcodeDetector({ formats: wanted });
    const tick = async () => {
      if (!stream) return;
      try {
        const found = await detector.detect(video);
        if (found.length > 0) return done(found[0].rawValue);
      } catch (e) { /* a frame that is not ready yet */ }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return true;
  }

  function loadZxing() {
    return new Promise((resolve, reject) => {
      if (window.ZXing) return resolve(window.ZXing);
      const s = document.createElement('script');
      s.src = '/static/vendor/zxing.min.js';
      s.onload = () => resolve(window.ZXing);
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  async function withZxing() {
    const ZX = await loadZxing();
    const hints = new Map();
    hints.set(ZX.DecodeHintType.POSSIBLE_FORMATS, [ZX.BarcodeFormat.QR_CODE, ZX.BarcodeFormat.DATA_MATRIX]);
    hints.set(ZX.DecodeHintType.TRY_HARDER, true);
    const reader = new ZX.BrowserMultiFormatReader(hints);
    stopZxing = () => reader.reset();
    reader.decodeFromStream(stream, video, (result) => { if (result) done(result.getText()); });
  }

  button.addEventListener('click', async () => {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { panel.hidden = false; say('unsupported'); return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (e) {
      panel.hidden = false; say('denied'); return;
    }
    panel.hidden = false;
    button.hidden = true;
    say('looking');
    video.srcObject = stream;
    await video.play();
    const native = 'BarcodeDetector' in window && await withNative().catch(() => false);
    if (!native) await withZxing().catch(() => say('unsupported'));
  });
  document.getElementById('camera-stop').addEventListener('click', stop);
})();
