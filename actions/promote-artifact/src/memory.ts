import { Transform } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined | null = null;

function collector(): (() => void) | undefined {
  if (gc === null) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
  }
  return gc;
}

/**
 * Streaming a gigabyte churns through short-lived buffers that V8 counts as external memory and
 * collects only after tens of megabytes pile up; a full collection every `everyBytes` keeps the
 * peak resident size near the working set (a few ms each on this small heap).
 */
export function gcNudge(everyBytes = 48 * 1024 * 1024): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since >= everyBytes) {
      since = 0;
      collector()?.();
    }
  };
}

/** A pass-through that nudges the collector as bytes flow. */
export function gcTap(): Transform {
  const nudge = gcNudge();
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      nudge(chunk.length);
      done(null, chunk);
    },
  });
}
