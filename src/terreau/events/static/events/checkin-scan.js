/* Check-in scan mode: the phone's camera reads the QR code of a badge or of a confirmation
   e-mail and submits it as if typed in the code field (which a handheld scanner can also fill).
   The browser's BarcodeDetector when it reads QR codes, else the vendored jsQR, loaded only
   then. Without JavaScript or a camera, the code field and the name search remain. */
(function () {
  "use strict";

  var PAUSE_AFTER_READ_MS = 2000;
  var FRAME_INTERVAL_MS = 150;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function makeReader(jsqrSrc) {
    if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") === -1) { return makeJsqrReader(jsqrSrc); }
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function (video) {
          return detector.detect(video).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        };
      }, function () { return makeJsqrReader(jsqrSrc); });
    }
    return makeJsqrReader(jsqrSrc);
  }

  function makeJsqrReader(jsqrSrc) {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var ready = window.jsQR ? Promise.resolve() : loadScript(jsqrSrc);
    return ready.then(function () {
      return function (video) {
        var width = video.videoWidth, height = video.videoHeight;
        if (!width || !height) { return Promise.resolve(null); }
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        var image = context.getImageData(0, 0, width, height);
        var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : null);
      };
    });
  }

  function setUp(form) {
    var start = form.querySelector("[data-camera-start]");
    var stop = form.querySelector("[data-camera-stop]");
    var panel = form.querySelector("[data-camera]");
    var video = form.querySelector("[data-video]");
    var field = form.querySelector("input[name=code]");
    var result = function () { return document.getElementById("checkin-scan-result"); };
    var stream = null, timer = null, pausedUntil = 0;

    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    start.hidden = false;

    function halt() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
      panel.hidden = true;
      start.hidden = false;
      start.focus();
    }

    function loop(read) {
      if (!stream) { return; }
      var next = function () { timer = setTimeout(function () { loop(read); }, FRAME_INTERVAL_MS); };
      if (Date.now() < pausedUntil || video.readyState < 2) { next(); return; }
      read(video).then(function (value) {
        if (value) {
          pausedUntil = Date.now() + PAUSE_AFTER_READ_MS;
          field.value = value;
          form.requestSubmit();
        }
        next();
      }, next);
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          panel.hidden = false;
          start.hidden = true;
          return video.play().then(function () { return makeReader(form.dataset.jsqrSrc); });
        })
        .then(function (read) { if (read) { loop(read); } })
        .catch(function () {
          halt();
          var status = result();
          if (status) { status.textContent = form.dataset.cameraError || ""; }
        });
    });
    stop.addEventListener("click", halt);
    // After each answer, the field is ready for the next code (a handheld scanner's too).
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "checkin-scan-result") {
        field.value = "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-checkin-scan]").forEach(setUp);
  });
})();
