import { normaliseToken } from '../../../shared/token';

export type SlipText = { token: string } | { problem: 'empty' | 'shortCode' | 'notASlip' | 'badCode' };

const TOKEN = /^[a-z2-7]{26}$/;

/**
 * The slip's token from what the camera read (the QR's `<origin>/vote#<token>`) or what the
 * voter typed (the code, any case, spaces and hyphens ignored; a pasted slip URL works too).
 * The short code printed under the QR is only the token's first 8 characters: it cannot open a ballot.
 */
export function slipFromText(text: string): SlipText {
  let raw = text.trim();
  const hash = raw.lastIndexOf('#');
  const url = /^[a-z][a-z0-9+.-]*:/i.test(raw);
  if (hash >= 0) raw = raw.slice(hash + 1);
  else if (url) return { problem: 'notASlip' }; // another QR code (a web page, a chat contact)
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // a mangled fragment: checked as it is
  }
  const token = normaliseToken(raw);
  if (TOKEN.test(token)) return { token };
  if (url) return { problem: 'notASlip' };
  if (token === '') return { problem: 'empty' };
  if (/^[a-z2-7]{8}$/.test(token)) return { problem: 'shortCode' };
  return { problem: 'badCode' };
}
