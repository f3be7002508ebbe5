// Registers the map's strings; imported by the map's view (a lazy chunk).
import { addMessages } from './index.js';
import zh from './map.zh-CN.js';
import en from './map.en.js';

addMessages({ 'zh-CN': zh, en });
export { zh, en };
