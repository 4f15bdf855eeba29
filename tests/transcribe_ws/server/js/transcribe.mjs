// The official AWS SDK for JavaScript as a peer of the local server: it streams a WAV file
// over WebSocket and prints each final result as one JSON line, then {"done": true}.
//
// node --experimental-websocket transcribe.mjs ENDPOINT FILE.wav signed|bare
// ENDPOINT has no port: the SDK adds :8443 to the host for WebSocket streams.
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; the server's
// certificate authority from NODE_EXTRA_CA_CERTS.
import { readFileSync } from "node:fs";
import {
  StartStreamTranscriptionCommand,
  TranscribeStreamingClient,
} from "@aws-sdk/client-transcribe-streaming";
import { WebSocketFetchHandler } from "@aws-sdk/middleware-websocket";

const [endpoint, file, framing] = process.argv.slice(2);
if (!endpoint || !file || !["signed", "bare"].includes(framing)) {
  console.error("usage: transcribe.mjs ENDPOINT FILE.wav signed|bare");
  process.exit(2);
}

function pcmOf(path) {
  const wav = readFileSync(path);
  let at = 12;
  let rate = 0;
  while (at + 8 <= wav.length) {
    const id = wav.toString("ascii", at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === "fmt ") rate = wav.readUInt32LE(at + 12);
    if (id === "data") return { rate, pcm: wav.subarray(at + 8, at + 8 + size) };
    at += 8 + size + (size % 2);
  }
  throw new Error("no data chunk");
}

const { rate, pcm } = pcmOf(file);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let finals = 0;
let lastFinalAt = 0;

// Real clients pace their audio: 100 ms chunks, four times faster than real time, then
// a second of silence, and the end of stream once the last final result has come back
// (the SDK closes the socket right after its last frame).
async function* audio() {
  const step = (rate / 10) * 2;
  const silence = Buffer.alloc(step);
  for (let i = 0; i < pcm.length; i += step) {
    yield { AudioEvent: { AudioChunk: pcm.subarray(i, i + step) } };
    await sleep(25);
  }
  const before = finals;
  for (let i = 0; i < 10; i++) {
    yield { AudioEvent: { AudioChunk: silence } };
    await sleep(25);
  }
  for (let waited = 0; finals === before && waited < 10000; waited += 50) await sleep(50);
  yield { AudioEvent: { AudioChunk: new Uint8Array(0) } };
}

const config = {
  region: "us-east-1",
  endpoint,
  requestHandler: new WebSocketFetchHandler({ connectionTimeout: 5000 }),
  maxAttempts: 1,
};
// "signed": the default (Node) payload handler wraps every message in a signed envelope
// (:date + :chunk-signature).  "bare": pass the serialized events through as they are, as
// the SDK's own Transcribe WebSocket pass-through handler does.
if (framing === "bare") {
  config.eventStreamPayloadHandlerProvider = () => ({ handle: (next, args) => next(args) });
}
const client = new TranscribeStreamingClient(config);
const response = await client.send(
  new StartStreamTranscriptionCommand({
    LanguageCode: "en-US",
    MediaEncoding: "pcm",
    MediaSampleRateHertz: rate,
    AudioStream: audio(),
  }),
);
for await (const event of response.TranscriptResultStream) {
  for (const result of event.TranscriptEvent?.Transcript?.Results ?? []) {
    if (result.IsPartial) continue;
    finals += 1;
    lastFinalAt = Date.now();
    console.log(JSON.stringify(result));
  }
}
console.log(JSON.stringify({ done: true, finals, lastFinalAt: lastFinalAt > 0 }));
client.destroy();
