// Registers the dashboard's and the table's strings; imported by those screens (lazy chunks of their own).
import { addMessages } from './index.js';
import zh from './desk.zh-CN.js';
import en from './desk.en.js';

addMessages({ 'zh-CN': zh, en });
export { zh, en };
