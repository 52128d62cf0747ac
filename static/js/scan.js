// Scan station: keep the field focused for a USB scanner; camera scanning where allowed.
(function () {
  "use strict";
  function ready() {
    var input = document.getElementById("code");
    var form = document.getElementById("scan-form");
    if (!input || !form) return;
    var cameraOn = false;
    // A keyboard-wedge scanner types into whatever has focus: always give it the field.
    function refocus() { if (!cameraOn && document.activeElement !== input) input.focus(); }
    input.focus();
    input.select();
    var openBtn = form.querySelector("button[type='submit']");
    // Not looked up (app.js says why): the code stays, selected, so Enter sends it again and
    // the next read replaces it.
    form.addEventListener("laptop-refused", function () { input.focus(); input.select(); });
    document.addEventListener("click", function (ev) {
      if (ev.target.closest && ev.target.closest("a, button, input, select, textarea, summary")) return;
      window.setTimeout(refocus, 0);
    });
    window.setInterval(function () {
      var active = document.activeElement;
      if (!active || active === document.body) refocus();
    }, 1000);

    var startBtn = document.getElementById("camera-start");
    var box = document.getElementById("camera");
    var video = document.getElementById("camera-video");
    var status = document.getElementById("camera-status");
    var stopBtn = document.getElementById("camera-stop");
    var unavailable = document.getElementById("camera-unavailable");
    var canUseCamera = window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
    if (!canUseCamera) { if (unavailable) unavailable.hidden = false; return; }
    startBtn.hidden = false;
    var stream = null;
    var starting = false;
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });

    function loadDecoder() {
      // The decoder is large; fetch it only when someone actually uses the camera.
      return new Promise(function (resolve, reject) {
        if (window.jsQR) { resolve(window.jsQR); return; }
        var s = document.createElement("script");
        s.src = box.getAttribute("data-decoder-url");
        s.onload = function () { resolve(window.jsQR); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    function stop() {
      cameraOn = false;
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      box.hidden = true;
      startBtn.hidden = false;
      refocus();
    }
    // Why the browser gave no camera, in words that say what to do instead.
    function failureText(err) {
      var name = err && err.name;
      if (name === "NotAllowedError" || name === "SecurityError") return box.getAttribute("data-msg-denied");
      if (name === "NotFoundError" || name === "OverconstrainedError") return box.getAttribute("data-msg-missing");
      return document.documentElement.lang === "en" ? "The camera could not be started." : "Kameran kunde inte startas.";
    }
    function tick(jsQR) {
      if (!cameraOn) return;
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (found && found.data) {
          input.value = found.data;
          stop();
          // Through the submit event, so the laptop is asked first (app.js): without it the
          // browser's error page would replace the station and the code just read.
          if (form.requestSubmit) form.requestSubmit(openBtn);
          else form.submit();
          return;
        }
      }
      window.requestAnimationFrame(function () { tick(jsQR); });
    }
    startBtn.addEventListener("click", function () {
      // A second tap before or while the camera runs would open a second stream that nothing
      // stops: the camera would stay on after "Stäng kameran".
      if (starting || cameraOn) return;
      starting = true;
      loadDecoder().then(function (jsQR) {
        return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
          starting = false;
          stream = s;
          cameraOn = true;
          startBtn.hidden = true;
          box.hidden = false;
          video.hidden = false;
          video.srcObject = s;
          video.play();
          status.textContent = document.documentElement.lang === "en" ? "Point the camera at the QR code." : "Rikta kameran mot QR-koden.";
          tick(jsQR);
        });
      }).catch(function (err) {
        starting = false;
        status.textContent = failureText(err);
        // Only the message: there is no picture, and the field is ready for the hand scanner.
        video.hidden = true;
        box.hidden = false;
        refocus();
      });
    });
    stopBtn.addEventListener("click", stop);
  }
  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
