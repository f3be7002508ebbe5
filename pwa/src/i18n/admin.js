// Registers the admin area's strings; imported by everything of the admin chunk that shows one.
import { addMessages } from './index.js';
import zh from './admin.zh-CN.js';
import en from './admin.en.js';

addMessages({ 'zh-CN': zh, en });
export { zh, en };
