// The message catalogues: zh-CN first, English second. Every string shown comes from here. A lazily loaded part
// of the app (the admin area) brings its own strings and adds them with addMessages, so the first screen does not
// carry them.
import baseZh from './zh-CN.js';
import baseEn from './en.js';
import deskZh from './desk-nav.zh-CN.js';
import deskEn from './desk-nav.en.js';
import inspectionZh from './inspection-nav.zh-CN.js';
import inspectionEn from './inspection-nav.en.js';

// The desk's side navigation and cards are on a desk user's first screen, the inspections' button on an
// inspector's: part of the base catalogues.
const zh = { ...baseZh, ...deskZh, ...inspectionZh };
const CATALOGUES = { 'zh-CN': zh, en: { ...baseEn, ...deskEn, ...inspectionEn } };
const ADDED = { 'zh-CN': {}, en: {} };
let lang = 'zh-CN';

export const languages = Object.keys(CATALOGUES);
export const getLang = () => lang;

export function setLang(next) {
  lang = CATALOGUES[next] ? next : 'zh-CN';
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** More strings, per language ({ 'zh-CN': {...}, en: {...} }); the base catalogues win on a clash. */
export function addMessages(catalogues) {
  for (const [name, messages] of Object.entries(catalogues)) Object.assign(ADDED[name], messages);
}

export const hasMessage = (key) => key in zh || key in ADDED['zh-CN'];

export function t(key, vars) {
  const text = CATALOGUES[lang][key] ?? ADDED[lang][key] ?? zh[key] ?? ADDED['zh-CN'][key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? '')) : text;
}
