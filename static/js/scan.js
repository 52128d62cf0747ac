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
    // The code the server drew back is selected, so the next read replaces it; not what a
    // scanner typed since the page showed (the field has autofocus): the next keystroke would
    // replace that, and the code's first characters would be lost.
    if (input.value && input.value === input.defaultValue) input.select();
    var openBtn = form.querySelector("button[type='submit']");
    var en = document.documentElement.lang === "en";
    // One message at a time, the newest: an older one (a code not found, a camera that did not
    // start) speaks of a scan that is no longer the last, and two alerts side by side read as one.
    function dropServerError() {
      var error = document.getElementById("code-error");
      if (!error) return;
      error.parentNode.removeChild(error);
      var field = input.closest(".field");
      if (field) field.classList.remove("has-error");
      input.removeAttribute("aria-invalid");
      // The hint of what the field takes still describes it; only the error's id goes.
      input.setAttribute("aria-describedby", "code-hint");
    }
    var dropCameraMessage = null;  // set once the camera can be used
    function dropRefusal() {
      Array.prototype.forEach.call(form.querySelectorAll(".submit-refused"), function (p) {
        p.parentNode.removeChild(p);
      });
    }
    // Not looked up (app.js says why): the code stays, selected, so Enter sends it again and
    // the next read replaces it.
    form.addEventListener("laptop-refused", function () {
      dropServerError();
      if (dropCameraMessage) dropCameraMessage();
      input.focus();
      input.select();
    });
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
    dropCameraMessage = function () {
      if (cameraOn || starting || box.hidden) return;
      status.textContent = "";
      box.hidden = true;
    };

    function loadDecoder() {
      // The decoder is large; fetch it only when someone actually uses the camera.
      return new Promise(function (resolve, reject) {
        if (window.jsQR) { resolve(window.jsQR); return; }
        var s = document.createElement("script");
        s.src = box.getAttribute("data-decoder-url");
        s.onload = function () { resolve(window.jsQR); };
        // Not yet on this tablet: the laptop did not send it (see showFailure).
        s.onerror = function () { reject({ name: "DecoderNotLoaded" }); };
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
    // Why the browser gave no camera, in words that say what to do instead; null when it is
    // not the camera's own reason.
    function cameraReason(err) {
      var name = err && err.name;
      if (name === "NotAllowedError" || name === "SecurityError") return box.getAttribute("data-msg-denied");
      if (name === "NotFoundError" || name === "OverconstrainedError") return box.getAttribute("data-msg-missing");
      return null;
    }
    function showFailure(text) {
      dropServerError();
      dropRefusal();
      status.textContent = text;
      // Only the message: there is no picture, and the field is ready for the hand scanner.
      video.hidden = true;
      box.hidden = false;
      refocus();
    }
    var NO_LAPTOP = en
      ? "The camera could not be started: no connection to the laptop. Try again when the connection is back."
      : "Kameran kunde inte startas: ingen kontakt med datorn. Försök igen när kontakten är tillbaka.";
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
          status.textContent = en ? "Point the camera at the QR code." : "Rikta kameran mot QR-koden.";
          tick(jsQR);
        });
      }).catch(function (err) {
        var reason = cameraReason(err);
        if (reason) {
          starting = false;
          showFailure(reason);
          return;
        }
        // Offline before the camera was first used, its decoder never came: the failure is the
        // connection's, and saying only that the camera did not start sends staff to the camera.
        window.Reservrutin.laptopAnswers(function (ok) {
          starting = false;
          showFailure(ok ? (en ? "The camera could not be started." : "Kameran kunde inte startas.") : NO_LAPTOP);
        });
      });
    });
    stopBtn.addEventListener("click", stop);
  }
  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
