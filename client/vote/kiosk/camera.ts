/**
 * The tablet's camera, read for a QR code a few times a second: with the browser's own
 * BarcodeDetector where it exists (Chrome on Android, ChromeOS, macOS), otherwise with jsQR,
 * a decoder loaded (its own chunk) only by a kiosk without one.
 */

/** Finds a QR code in the current video frame: its text, or null. */
type Detect = (video: HTMLVideoElement) => Promise<string | null>;

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
  getSupportedFormats(): Promise<string[]>;
}

export type Decoder = 'native' | 'library';

async function nativeDetector(): Promise<Detect | null> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector) return null;
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return null;
    const detector = new Detector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
  } catch {
    return null;
  }
}

/** Frames scaled to at most this width: a slip held up to the camera fills much of it, and jsQR's time grows with the pixels. */
const MAX_WIDTH = 800;

async function libraryDetector(): Promise<Detect> {
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2d canvas');
  return async (video) => {
    const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (!width || !height) return null;
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
    context.drawImage(video, 0, 0, width, height);
    // Slips are printed dark on light: trying the inverted image too would double the work per frame.
    return jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  };
}

export interface Camera {
  decoder: Decoder;
  stop(): void;
}

/**
 * Shows the camera in `video` and calls `onText` with each QR code it reads, until `onText`
 * returns true (a slip: the camera is switched off at once) or `stop` is called.
 * Rejects when there is no camera or it may not be used (refused, or the page's Permissions-Policy).
 */
export async function startCamera(video: HTMLVideoElement, onText: (text: string) => boolean): Promise<Camera> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { width: { ideal: 1280 }, height: { ideal: 720 } } });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  try {
    video.srcObject = stream;
    await video.play();
    const native = await nativeDetector();
    const detect = native ?? (await libraryDetector());
    const tick = async () => {
      if (stopped) return;
      let text: string | null = null;
      try {
        text = video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA ? await detect(video) : null;
      } catch {
        // a frame that could not be read: try the next one
      }
      if (stopped) return;
      if (text && onText(text)) stop();
      else timer = setTimeout(() => void tick(), 150);
    };
    void tick();
    return { decoder: native ? 'native' : 'library', stop };
  } catch (error) {
    stop();
    throw error;
  }
}
