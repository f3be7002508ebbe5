// Registers the inspection screens' strings; imported by those screens (a lazy chunk).
import { addMessages } from './index.js';
import zh from './inspection.zh-CN.js';
import en from './inspection.en.js';

addMessages({ 'zh-CN': zh, en });
export { zh, en };
