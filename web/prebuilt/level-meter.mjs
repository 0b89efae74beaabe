/**
 * Microphone level for the preview's meter: a WebAudio AnalyserNode on the stream, read once per
 * animation frame. The analyser is not connected to the speakers, so the user never hears
 * themselves.
 */

const FLOOR_DB = -60; // quieter than this shows as an empty meter

/** Calls `onLevel(0…1)` every frame until `stop()`. */
export function startLevelMeter(stream, onLevel) {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let frame = 0;
  let shown = 0;

  const tick = () => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    const db = 10 * Math.log10(sum / samples.length || 1e-12);
    const level = Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
    // Rise at once, fall slowly: a meter that flickers with every syllable is hard to read.
    shown = Math.max(level, shown * 0.9);
    onLevel(shown);
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);

  return {
    // Browsers start an AudioContext suspended until a user gesture; the preview calls this
    // from its first click or key press.
    resume: () => (context.state === 'suspended' ? context.resume() : undefined),
    stop() {
      cancelAnimationFrame(frame);
      context.close();
    },
  };
}
