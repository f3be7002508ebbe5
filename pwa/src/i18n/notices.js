// Registers the inbox's and the notification settings' strings; imported by those screens (a lazy chunk).
import { addMessages, hasMessage, t } from './index.js';
import zh from './notices.zh-CN.js';
import en from './notices.en.js';

addMessages({ 'zh-CN': zh, en });

/** A notification's kind as a badge; a kind this build does not know yet (the server adds them) is 通知. */
export const noticeKind = (kind) => (hasMessage(`notice_${kind}`) ? t(`notice_${kind}`) : t('notice_other'));
export { zh, en };
