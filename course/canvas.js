// The drawing canvas of notebook 06 (course/canvas.py), an anywidget front end.
//
// The drawing happens here, in the browser, so a stroke follows the pen without waiting for
// Python. What Python receives is the model trait `ink`: the drawing averaged down to
// `size` x `size` grey levels (one byte each, 0 = paper, 255 = full ink, row by row), or
// empty bytes for a blank canvas. It is sent at most every `throttle_ms` while drawing and
// once more when a stroke ends. No imports: the widget works offline.

const SIDE = 280; // the drawing area in pixels, ten times MNIST's 28

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "course-digit-canvas";
  const canvas = document.createElement("canvas");
  canvas.width = SIDE;
  canvas.height = SIDE;
  canvas.setAttribute("aria-label", "drawing area: draw one digit with the mouse or a finger");
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear";
  clear.className = "course-digit-clear";
  root.append(canvas, clear);
  el.append(root);

  const pen = canvas.getContext("2d");
  // A second, small canvas does the averaging: drawImage with smoothing resamples for us.
  const small = document.createElement("canvas");
  const smallPen = small.getContext("2d", { willReadFrequently: true });

  let drawing = false;
  let last = null; // the previous point of the current stroke
  let lastSent = 0; // time of the last message to Python
  let timer = null; // a pending (throttled) message
  let sentInk = new Uint8Array(0); // what this view sent last

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) * SIDE) / box.width,
      ((event.clientY - box.top) * SIDE) / box.height,
    ];
  }

  function line(from, to) {
    pen.lineWidth = model.get("pen_width");
    pen.lineCap = "round";
    pen.lineJoin = "round";
    pen.strokeStyle = "#000";
    pen.beginPath();
    if (from[0] === to[0] && from[1] === to[1]) {
      // A line of no length draws nothing, even with round caps: draw the dot itself.
      pen.arc(from[0], from[1], pen.lineWidth / 2, 0, 2 * Math.PI);
      pen.fillStyle = "#000";
      pen.fill();
      return;
    }
    pen.moveTo(from[0], from[1]);
    pen.lineTo(to[0], to[1]);
    pen.stroke();
  }

  function send() {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    const size = model.get("size");
    small.width = size;
    small.height = size;
    smallPen.imageSmoothingEnabled = true;
    smallPen.imageSmoothingQuality = "high";
    smallPen.clearRect(0, 0, size, size);
    smallPen.drawImage(canvas, 0, 0, size, size);
    const rgba = smallPen.getImageData(0, 0, size, size).data;
    const ink = new Uint8Array(size * size);
    let any = false;
    for (let i = 0; i < ink.length; i++) {
      ink[i] = rgba[4 * i + 3]; // the ink is the opacity: the paper is transparent
      any = any || ink[i] > 0;
    }
    sentInk = any ? ink : new Uint8Array(0);
    model.set("ink", new DataView(sentInk.buffer));
    model.save_changes();
    lastSent = performance.now(); // after the work, so messages are throttle_ms apart
  }

  function sendSoon() {
    const wait = model.get("throttle_ms") - (performance.now() - lastSent);
    if (wait <= 0) {
      send();
    } else if (timer === null) {
      timer = setTimeout(send, wait);
    }
  }

  function inkBytes() {
    const view = model.get("ink");
    return view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : sentInk;
  }

  function same(a, b) {
    return a.length === b.length && a.every((value, i) => value === b[i]);
  }

  // Show what `ink` holds (saved widget state, another view, or a clear from Python).
  function show() {
    pen.clearRect(0, 0, SIDE, SIDE);
    const bytes = inkBytes();
    const size = model.get("size");
    if (bytes.length !== size * size) return;
    small.width = size;
    small.height = size;
    const image = smallPen.createImageData(size, size);
    for (let i = 0; i < bytes.length; i++) image.data[4 * i + 3] = bytes[i];
    smallPen.putImageData(image, 0, 0);
    pen.imageSmoothingEnabled = true;
    pen.drawImage(small, 0, 0, SIDE, SIDE);
  }

  // Pointer events cover the mouse, touch screens and pens alike.
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    last = point(event);
    line(last, last); // a round dot, so a single tap leaves a mark
    sendSoon();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const next = point(e);
      line(last, next);
      last = next;
    }
    sendSoon();
  });
  function end(event) {
    if (!drawing) return;
    drawing = false;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    send();
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  clear.addEventListener("click", () => {
    pen.clearRect(0, 0, SIDE, SIDE);
    send();
  });

  // Redraw only for ink from elsewhere: not while drawing, and not for our own ink coming
  // back (the kernel echoes updates), which would blur the drawing to 112 x 112 pixels.
  const onChange = () => {
    if (!drawing && !same(inkBytes(), sentInk)) show();
  };
  model.on("change:ink", onChange);
  show();
  return () => model.off("change:ink", onChange);
}

export default { render };
