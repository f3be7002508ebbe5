// Registers the inbox's and the notification settings' strings; imported by those screens (a lazy chunk).
import { addMessages } from './index.js';
import zh from './notices.zh-CN.js';
import en from './notices.en.js';

addMessages({ 'zh-CN': zh, en });
export { zh, en };
