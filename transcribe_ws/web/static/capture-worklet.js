// Capture processor: collects the microphone's samples (mono, the context's
// rate) into ~100 ms float32 blocks and posts each to the page with its level.
// A "flush" message posts what is held back and answers {flushed: true}.

const BLOCK_SECONDS = 0.1;

class PcmCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.max(128, Math.round(sampleRate * BLOCK_SECONDS));
    this.block = new Float32Array(this.size);
    this.filled = 0;
    this.port.onmessage = (event) => {
      if (event.data === "flush") {
        this.post();
        this.port.postMessage({ flushed: true });
      }
    };
  }

  post() {
    if (this.filled === 0) return;
    const pcm = this.block.slice(0, this.filled);
    let sum = 0;
    let peak = 0;
    for (let i = 0; i < pcm.length; i++) {
      const v = pcm[i];
      sum += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    this.port.postMessage({ pcm, rms: Math.sqrt(sum / pcm.length), peak }, [pcm.buffer]);
    this.filled = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0) {
      const channels = input.length;
      const frames = input[0].length;
      for (let i = 0; i < frames; i++) {
        let v = input[0][i];
        for (let c = 1; c < channels; c++) v += input[c][i];
        this.block[this.filled++] = channels > 1 ? v / channels : v;
        if (this.filled === this.size) this.post();
      }
    }
    return true;
  }
}

registerProcessor("pcm-capture", PcmCapture);
