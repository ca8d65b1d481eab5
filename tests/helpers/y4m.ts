import { renameSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

/**
 * A video file for Chromium's fake camera (`--use-file-for-fake-video-capture=<file>.y4m`)
 * that shows a QR code, as a slip held up to a tablet's camera would. Y4M is raw video: a
 * header, then per frame `FRAME\n` and the Y, U and V planes (4:2:0, so U and V are a quarter
 * of Y each; 128 is no colour). No ffmpeg needed.
 */
export function qrVideo(text: string, options: { width?: number; height?: number; frames?: number } = {}): Buffer {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const frames = options.frames ?? 10;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const side = modules.size + 2 * quiet;
  // Modules as large as fit, with the quiet zone, inside the frame.
  const scale = Math.floor((Math.min(width, height) - 16) / side);
  if (scale < 3) throw new Error(`QR code too large for a ${width}x${height} frame`);
  const left = Math.floor((width - side * scale) / 2);
  const top = Math.floor((height - side * scale) / 2);
  const y = Buffer.alloc(width * height, 96); // a grey table around the slip
  for (let row = 0; row < side * scale; row++)
    for (let col = 0; col < side * scale; col++) {
      const mr = Math.floor(row / scale) - quiet;
      const mc = Math.floor(col / scale) - quiet;
      const dark = mr >= 0 && mc >= 0 && mr < modules.size && mc < modules.size && modules.get(mr, mc) === 1;
      y[(top + row) * width + left + col] = dark ? 16 : 235;
    }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]);
}

/** Writes the video at `path` in one step (a camera opening meanwhile reads the old file or the new, never half of one). */
export function writeQrVideo(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, qrVideo(text));
  renameSync(`${path}.tmp`, path);
}
