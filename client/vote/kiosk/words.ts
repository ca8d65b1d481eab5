import type { Lang } from '../../../shared/errors';
import { useAppState } from '../state';

/** The kiosk's own words, Chinese first (the ballot's are in ../i18n.ts): in the kiosk chunk, off the phones' download. */
const zh = {
  scanTitle: '请扫描您的测评票',
  scanText: '将测评票上的二维码对准上方摄像头，测评票会自动打开。',
  cameraStarting: '正在打开摄像头…',
  cameraOff: '摄像头不可用。请在下方输入票码，或请工作人员协助。',
  cameraRetry: '重新打开摄像头',
  notASlip: '这不是测评票的二维码，请换一张。',
  typeLabel: '没有摄像头？输入票码',
  typeHint: '不区分大小写，空格和横线可省略。',
  open: '打开测评票',
  empty: '请先输入票码。',
  shortCode: '这是票面短码，只用于核对。请扫描二维码，或输入完整票码（26 位）。',
  badCode: '票码不正确，请核对后重新输入。',
  waitingCount: '待发送 {count} 张',
  waitingText: '网络恢复后自动发送，请勿关闭本平板或清除浏览器数据。',
  nextVoter: '下一位',
  countdown: '{seconds} 秒后自动返回扫码页面',
  receiptKiosk: '请记下回执码。测评结束后会公布全部回执码，您可以核对自己的回执码是否在列。本平板不保存您的测评票和回执码。',
  savedTitle: '测评票已保存在本平板',
  savedText: '网络恢复后会自动提交，您无需等待。本平板不会再显示您的填写内容。',
  backToScan: '返回扫码页面',
  endBallot: '结束并清除本票',
  kiosk: '共享平板',
  idleTitle: '还在投票吗？',
  idleText: '{seconds} 秒后将清除本票已填写的内容并返回扫码页面。本票不会提交，测评票仍可重新扫码使用。',
  idleContinue: '继续投票',
} satisfies Record<string, string>;

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  scanTitle: 'Scan your ballot slip',
  scanText: 'Hold the QR code of your slip up to the camera above; your ballot opens by itself.',
  cameraStarting: 'Starting the camera…',
  cameraOff: 'The camera is not available. Type the code of your slip below, or ask a staff member.',
  cameraRetry: 'Start the camera again',
  notASlip: 'That is not the QR code of a ballot slip.',
  typeLabel: 'No camera? Type the code',
  typeHint: 'Any case; spaces and hyphens may be left out.',
  open: 'Open the ballot',
  empty: 'Type the code first.',
  shortCode: 'That is the short code, printed to match slips. Scan the QR code or type the full code (26 characters).',
  badCode: 'That code is not right. Check it and type it again.',
  waitingCount: '{count} waiting to send',
  waitingText: 'They are sent when the network is back. Do not close this tablet or clear its browser data.',
  nextVoter: 'Next voter',
  countdown: 'Back to the scan screen in {seconds} s',
  receiptKiosk: 'Write down the receipt code. After the sitting closes, all receipt codes are published and you can check that yours is listed. This tablet keeps neither your ballot nor your receipt.',
  savedTitle: 'Ballot saved on this tablet',
  savedText: 'It will be submitted when the network is back; you need not wait. This tablet will not show your answers again.',
  backToScan: 'Back to the scan screen',
  endBallot: 'End and erase this ballot',
  kiosk: 'Shared tablet',
  idleTitle: 'Still voting?',
  idleText: 'In {seconds} s the answers on this ballot are erased and the tablet goes back to the scan screen. Nothing is submitted: the slip can be scanned again.',
  idleContinue: 'Continue',
};

const WORDS: Record<Lang, Record<Key, string>> = { zh, en };

export type KioskWord = Key;

/** The current language's kiosk words; reading it subscribes the component to language changes. */
export function useKioskT(): (key: Key, params?: Record<string, string | number>) => string {
  const lang = useAppState().lang.value;
  return (key, params) => {
    let text = WORDS[lang][key];
    if (params) for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}
