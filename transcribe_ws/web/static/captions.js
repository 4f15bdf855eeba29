// Live captions page: microphone → AudioWorklet → our server's socket; results → text.
// The server does the resampling, the signing and the talking to the service;
// this page only sends raw PCM at the device's rate and shows what comes back.

const $ = (id) => document.getElementById(id);
const ui = {
  body: document.body,
  mode: $("mode"),
  banner: $("banner"),
  bannerTitle: $("banner-title"),
  bannerText: $("banner-text"),
  bannerClose: $("banner-close"),
  language: $("language"),
  start: $("start"),
  stop: $("stop"),
  clear: $("clear"),
  meter: $("meter"),
  meterCover: $("meter-cover"),
  status: $("status"),
  finals: $("finals"),
  partial: $("partial"),
  placeholder: $("placeholder"),
};

const MAX_QUEUED_SECONDS = 30; // audio held while the socket opens
const FLUSH_WAIT_MS = 1000;

let config = { languages: ["en-US"], languageCode: "en-US", socketPath: "/socket", mode: "" };
let session = null; // the running capture, see start()
let counts = { partials: 0, finals: 0 };

// ------------------------------------------------------------------ display

function setState(state, text) {
  ui.body.dataset.state = state;
  ui.status.textContent = text;
  const busy = state === "starting" || state === "listening" || state === "stopping";
  ui.start.disabled = busy || state === "loading";
  ui.stop.disabled = !(state === "starting" || state === "listening");
  ui.language.disabled = busy || state === "loading";
}

function showError(title, text) {
  ui.bannerTitle.textContent = title;
  ui.bannerText.textContent = text || "";
  ui.banner.hidden = false;
  ui.body.dataset.error = title;
}

function hideError() {
  ui.banner.hidden = true;
  delete ui.body.dataset.error;
}

function setLevel(rms) {
  // -60 dBFS .. 0 dBFS onto 0 .. 100 %
  const db = rms > 0 ? 20 * Math.log10(rms) : -100;
  const pct = Math.max(0, Math.min(100, ((db + 60) / 60) * 100));
  ui.meterCover.style.width = `${(100 - pct).toFixed(0)}%`;
  ui.meter.setAttribute("aria-valuenow", pct.toFixed(0));
}

function updatePlaceholder() {
  ui.placeholder.hidden = ui.finals.childNodes.length > 0 || ui.partial.textContent !== "";
}

function showResult(result) {
  if (result.partial) {
    counts.partials += 1;
    ui.partial.textContent = (ui.finals.childNodes.length && result.text ? " " : "") + result.text;
  } else {
    counts.finals += 1;
    ui.partial.textContent = "";
    if (result.text) {
      const span = document.createElement("span");
      span.className = "final";
      span.dataset.id = result.id;
      span.textContent = (ui.finals.childNodes.length ? " " : "") + result.text;
      ui.finals.appendChild(span);
    }
  }
  ui.body.dataset.partials = String(counts.partials);
  ui.body.dataset.finals = String(counts.finals);
  updatePlaceholder();
}

function clearCaptions() {
  ui.finals.replaceChildren();
  ui.partial.textContent = "";
  updatePlaceholder();
}

// ------------------------------------------------------------------ capture

function microphoneError(err) {
  const name = err && err.name;
  if (name === "NotAllowedError" || name === "PermissionDeniedError" || name === "SecurityError") {
    return ["Microphone permission denied.",
      "Allow this page to use the microphone (the icon in the address bar), then press Start again."];
  }
  if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
    return ["No microphone found.", "Connect a microphone and press Start again."];
  }
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
    return ["The microphone could not be opened.",
      "Another application may be using it. " + (err.message || "")];
  }
  return ["The microphone could not be opened.", (err && (err.message || String(err))) || ""];
}

async function openMicrophone() {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    const err = new Error(
      "Browsers only allow the microphone on https:// pages or on http://localhost / 127.0.0.1.");
    err.name = "InsecureContext";
    throw err;
  }
  return navigator.mediaDevices.getUserMedia({
    audio: {
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
      channelCount: { ideal: 1 },
    },
    video: false,
  });
}

async function start() {
  if (session) return;
  hideError();
  setState("starting", "Opening the microphone…");
  counts = { partials: 0, finals: 0 };
  delete ui.body.dataset.closeCode;
  const s = {
    media: null, context: null, node: null, socket: null,
    ready: false, queue: [], queuedFrames: 0, stopping: false, ended: false, failed: false,
    flushed: null,
  };
  session = s;
  try {
    s.media = await openMicrophone();
  } catch (err) {
    const [title, text] = microphoneError(err);
    showError(title, text);
    session = null;
    setState("error", "Microphone unavailable");
    return;
  }
  try {
    s.context = new AudioContext({ latencyHint: "interactive" });
    await s.context.audioWorklet.addModule("capture-worklet.js");
    const source = s.context.createMediaStreamSource(s.media);
    s.node = new AudioWorkletNode(s.context, "pcm-capture", {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
    });
    s.node.port.onmessage = (event) => onCaptured(s, event.data);
    source.connect(s.node);
    s.node.connect(s.context.destination); // silent output keeps the graph running
    if (s.context.state !== "running") await s.context.resume();
  } catch (err) {
    fail(s, "Audio capture failed.", (err && err.message) || String(err));
    return;
  }
  openSocket(s);
}

function onCaptured(s, data) {
  if (data.flushed) {
    if (s.flushed) s.flushed();
    return;
  }
  setLevel(data.rms);
  if (s.stopping && !s.flushed) return;
  if (s.ready) {
    s.socket.send(data.pcm.buffer);
  } else {
    s.queue.push(data.pcm);
    s.queuedFrames += data.pcm.length;
    while (s.queuedFrames > MAX_QUEUED_SECONDS * s.context.sampleRate && s.queue.length) {
      s.queuedFrames -= s.queue.shift().length;
    }
  }
}

function openSocket(s) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(`${scheme}//${location.host}${config.socketPath}`);
  socket.binaryType = "arraybuffer";
  s.socket = socket;
  setState("starting", "Connecting…");
  socket.onopen = () => {
    socket.send(JSON.stringify({
      type: "start",
      sampleRate: s.context.sampleRate,
      languageCode: ui.language.value,
      encoding: "f32",
    }));
  };
  socket.onmessage = (event) => {
    if (typeof event.data !== "string") return;
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch (err) {
      return;
    }
    if (msg.type === "ready") {
      s.ready = true;
      for (const pcm of s.queue) socket.send(pcm.buffer);
      s.queue = [];
      s.queuedFrames = 0;
      if (!s.stopping) setState("listening", `Listening (${msg.languageCode})`);
    } else if (msg.type === "result") {
      showResult(msg);
    } else if (msg.type === "error") {
      const title = msg.kind === "service" ? "Transcription service error."
        : msg.kind === "request" ? "The server refused the request." : "Server error.";
      fail(s, title, msg.message);
    } else if (msg.type === "end") {
      s.ended = true;
    }
  };
  socket.onclose = (event) => {
    ui.body.dataset.closeCode = String(event.code);
    if (s.failed) return;
    if (s.ended) {
      finish(s);
      setState("stopped", "Stopped");
    } else {
      fail(s, "Connection to the server lost.",
        event.reason || `The socket closed (code ${event.code}) before the stream ended.`);
    }
  };
}

async function stop() {
  const s = session;
  if (!s || s.stopping) return;
  s.stopping = true;
  setState("stopping", "Finishing…");
  // Take what the worklet still holds, then stop the microphone.
  if (s.node) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, FLUSH_WAIT_MS);
      s.flushed = () => { clearTimeout(timer); resolve(); };
      s.node.port.postMessage("flush");
    });
  }
  s.flushed = null;
  releaseAudio(s);
  if (s.socket && s.socket.readyState === WebSocket.OPEN && s.ready) {
    s.socket.send(JSON.stringify({ type: "stop" }));
  } else if (s.socket && s.socket.readyState <= WebSocket.OPEN) {
    // Not ready yet: nothing was transcribed; just go away.
    s.ended = true;
    s.socket.close(1000, "stopped before the stream started");
  } else {
    finish(s);
    setState("stopped", "Stopped");
  }
}

function releaseAudio(s) {
  if (s.media) s.media.getTracks().forEach((t) => t.stop());
  if (s.node) s.node.port.onmessage = null;
  if (s.context && s.context.state !== "closed") s.context.close().catch(() => {});
  s.media = null;
  s.node = null;
  s.context = null;
  setLevel(0);
}

function finish(s) {
  releaseAudio(s);
  if (session === s) session = null;
}

function fail(s, title, text) {
  if (s.failed) return;
  s.failed = true;
  showError(title, text);
  if (s.socket && s.socket.readyState <= WebSocket.OPEN) s.socket.close(1000, "client error");
  finish(s);
  setState("error", "Stopped after an error");
}

// ------------------------------------------------------------------ startup

async function init() {
  try {
    const response = await fetch("config.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    config = await response.json();
  } catch (err) {
    showError("Cannot reach the captions server.", (err && err.message) || String(err));
  }
  ui.language.replaceChildren();
  for (const code of config.languages) {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = code;
    ui.language.appendChild(option);
  }
  ui.language.value = config.languageCode;
  const modes = { local: "local server (offline)", service: "Amazon Transcribe",
    endpoint: "compatible server" };
  ui.mode.textContent = modes[config.mode] || "";
  ui.start.addEventListener("click", start);
  ui.stop.addEventListener("click", stop);
  ui.clear.addEventListener("click", clearCaptions);
  ui.bannerClose.addEventListener("click", hideError);
  updatePlaceholder();
  setState("idle", "Ready");
}

init();
