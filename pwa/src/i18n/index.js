// The message catalogue: zh-CN first, English second. Every string shown comes from here.
import zh from './zh-CN.js';
import en from './en.js';

const CATALOGUES = { 'zh-CN': zh, en };
let lang = 'zh-CN';

export const languages = Object.keys(CATALOGUES);
export const getLang = () => lang;

export function setLang(next) {
  lang = CATALOGUES[next] ? next : 'zh-CN';
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function t(key, vars) {
  const text = CATALOGUES[lang][key] ?? zh[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? '')) : text;
}
