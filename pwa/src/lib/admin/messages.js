// The server's field and import messages are English sentences meant for developers (SPEC §5: the code is the
// contract, the message a detail). The admin forms and the import's error table show them next to a field or in
// a row, where a Chinese user must be able to read them: each sentence the admin API is known to say maps to a
// text in the user's language; one it has not said before is shown as it came (marked lang="en").
import { t } from '../../i18n/index.js';
import '../../i18n/admin.js';

const num = (s) => s.replace(/,/g, '');

// [pattern, key, (match) => vars]; the first that matches wins. Anchored: a longer sentence is a different one.
export const KNOWN = [
  [/^Missing data for required field\.$/, 'srv_required'],
  [/^Required\.$/, 'srv_required'],
  [/^Field may not be null\.$/, 'srv_required'],
  [/^Required, at most (\d+) characters\.$/, 'srv_required_max', (m) => ({ n: m[1] })],
  [/^At most (\d+) characters\.$/, 'srv_max', (m) => ({ n: m[1] })],
  [/^Longer than maximum length (\d+)\.$/, 'srv_max', (m) => ({ n: m[1] })],
  [/^Shorter than minimum length (\d+)\.$/, 'srv_min', (m) => ({ n: m[1] })],
  [/^Length must be between (\d+) and (\d+)\.$/, 'srv_between', (m) => ({ min: m[1], max: m[2] })],
  [/^At least (\d+) characters\.$/, 'srv_password_short', (m) => ({ n: m[1] })],
  [/^Must not contain the username\.$/, 'srv_password_username'],
  [/^Too common: .*$/, 'srv_password_common'],
  [/^Not a valid (number|integer)\.$/, 'srv_not_number'],
  [/^Not a number\.$/, 'srv_not_number'],
  [/^Not a valid date\.$/, 'srv_not_date'],
  [/^Not a valid boolean\.$/, 'srv_not_boolean'],
  [/^Unknown field\.$/, 'srv_unknown_field'],
  [/^Must be one of: (.*)\.$/, 'srv_one_of', (m) => ({ list: m[1] })],
  [/^One of (.*)\.$/, 'srv_one_of', (m) => ({ list: m[1] })],
  [/^Digits only\.$/, 'srv_digits'],
  [/^Must not contain NUL characters\.$/, 'srv_nul'],
  [/^Missing column\.$/, 'srv_missing_column'],
  [/^This column appears twice\.$/, 'srv_column_twice'],
  // credit codes (GB 32100-2015)
  [/^Not a valid unified social credit code: must be 18 characters\.$/, 'srv_credit_length'],
  [/^Not a valid unified social credit code: contains a character outside .*$/, 'srv_credit_alphabet'],
  [/^Not a valid unified social credit code: characters 3-8 .*$/, 'srv_credit_division'],
  [/^Not a valid unified social credit code: the check character .*$/, 'srv_credit_check'],
  [/^Not a valid unified social credit code.*$/, 'srv_credit_invalid'],
  [/^The same credit code as row (\d+)\.$/, 'srv_same_credit_row', (m) => ({ row: m[1] })],
  [/^Also on row (\d+)\.$/, 'srv_also_row', (m) => ({ row: m[1] })],
  [/^The same username as row (\d+)\.$/, 'srv_same_username_row', (m) => ({ row: m[1] })],
  [/^Already registered: (.*) \(id (\d+)\)\.$/, 'srv_already_registered', (m) => ({ name: m[1], id: m[2] })],
  [/^Another change registered this credit code just now\.$/, 'srv_concurrent'],
  [/^Another change to these enterprises came at the same time.*$/, 'srv_concurrent'],
  // areas
  [/^No area with code (\S+)\.$/, 'srv_no_area_code', (m) => ({ code: m[1] })],
  [/^No area (\S+) in the file or in Closeloop\.$/, 'srv_no_area_code', (m) => ({ code: m[1] })],
  [/^No (active )?area with this code\.$/, 'srv_no_area'],
  [/^Unknown area\.$/, 'srv_no_area'],
  [/^No such area\.$/, 'srv_no_area'],
  [/^This area is deactivated\.$/, 'srv_area_inactive'],
  [/^The (new )?parent is deactivated\.$/, 'srv_parent_inactive'],
  [/^Its parent is deactivated: .*$/, 'srv_parent_inactive'],
  [/^An enterprise lies in a street, community or grid, not a (\w+)\.$/, 'srv_enterprise_level', (m) => ({ level: levelName(m[1]) })],
  [/^An area with this code exists already\.$/, 'srv_area_exists'],
  [/^A (\w+) lies in a (\w+): give the parent's code\.$/, 'srv_parent_needed', (m) => ({ level: levelName(m[1]), parent: levelName(m[2]) })],
  [/^A (\w+)'s parent must be a (\w+), not a (\w+)\.$/, 'srv_parent_level', (m) => ({ level: levelName(m[1]), parent: levelName(m[2]), got: levelName(m[3]) })],
  [/^A city is the top of the tree: it has no parent\.$/, 'srv_city_no_parent'],
  [/^A city's code is six digits ending in 00.*$/, 'srv_code_city'],
  [/^A district's code is six digits not ending in 00.*$/, 'srv_code_district'],
  [/^A district of (\d+) has a code starting (\d+)\.$/, 'srv_code_district_prefix', (m) => ({ parent: m[1], prefix: m[2] })],
  [/^A street's code is its district's (\d+) \+ 3 digits.*$/, 'srv_code_street', (m) => ({ parent: m[1] })],
  [/^A street's 12-digit code ends in 000.*$/, 'srv_code_street12'],
  [/^A community's code is its street's (\d+) \+ 3 digits.*$/, 'srv_code_community', (m) => ({ stem: m[1] })],
  [/^A grid's code is its community's (\d+) \+ 1 to (\d+) digits\.$/, 'srv_code_grid', (m) => ({ parent: m[1], n: m[2] })],
  [/^A grid's own digits are not all zeros\.$/, 'srv_code_grid_zeros'],
  [/^Only an empty area moves.*$/, 'srv_area_not_empty'],
  // enterprises
  [/^Outside China: latitude .*$/, 'srv_lat_china'],
  [/^Outside China: longitude .*$/, 'srv_lng_china'],
  [/^Give both coordinates, or neither\.$/, 'srv_both_coordinates'],
  [/^Not a sector: .*$/, 'srv_not_sector'],
  [/^A phone number: .*$/, 'srv_phone'],
  [/^This enterprise is deactivated\.$/, 'srv_enterprise_inactive'],
  [/^No (active )?enterprise with this (credit code|id)\.$/, 'srv_no_enterprise'],
  [/^No such enterprise\.$/, 'srv_no_enterprise'],
  // accounts
  [/^2 to 50 letters, digits, .*$/, 'srv_username_shape'],
  [/^A user with this username exists already\.$/, 'srv_username_taken'],
  [/^This username is taken\.$/, 'srv_username_taken'],
  [/^Taken\.$/, 'srv_username_taken'],
  [/^Every user except an admin has a home area\.$/, 'srv_area_needed'],
  [/^An enterprise officer belongs to one enterprise\.$/, 'srv_enterprise_needed'],
  [/^Only an enterprise officer belongs to an enterprise\.$/, 'srv_enterprise_only_officer'],
  [/^You cannot change your own role\.$/, 'srv_own_role'],
  [/^You cannot deactivate your own account\.$/, 'srv_own_deactivate'],
  [/^No such user\.$/, 'srv_no_user'],
  // categories and criteria
  [/^A (category|criterion) with this code exists already\.$/, 'srv_code_exists'],
  [/^A criterion is repealed after the day it took effect\.$/, 'srv_repealed_after'],
  [/^This criterion takes effect on (\S+)\.$/, 'srv_criterion_later', (m) => ({ date: m[1] })],
  [/^This criterion was repealed on (\S+?): .*$/, 'srv_criterion_repealed', (m) => ({ date: m[1] })],
  [/^This criterion is superseded or withdrawn.*$/, 'srv_criterion_superseded'],
  // the file itself
  [/^The file is empty.*$/, 'srv_file_empty'],
  [/^Empty\.$/, 'srv_file_empty'],
  [/^An old \.xls workbook.*$/, 'srv_file_xls'],
  [/^Not a readable \.xlsx workbook\.$/, 'srv_file_unreadable'],
  [/^The workbook is damaged.*$/, 'srv_file_unreadable'],
  [/^Not text in UTF-8 or GB18030.*$/, 'srv_file_encoding'],
  [/^Not readable as CSV: .*$/, 'srv_file_unreadable'],
  [/^The workbook unpacks to more than .*$/, 'srv_file_too_big'],
  [/^At most ([\d,]+) rows in one file.*$/, 'srv_file_rows', (m) => ({ n: num(m[1]) })],
];

const LEVEL_KEYS = new Set(['city', 'district', 'street', 'community', 'grid']);
function levelName(level) {
  return LEVEL_KEYS.has(level) ? t(`adm_level_${level}`) : level;
}

/** → { text, translated } : the message in the user's language when it is one we know, else as it came. */
export function localize(message) {
  const text = String(message ?? '').trim();
  for (const [pattern, key, vars] of KNOWN) {
    const match = text.match(pattern);
    if (match) return { text: t(key, vars ? vars(match) : undefined), translated: true };
  }
  return { text, translated: false };
}

/** The messages of one field as the server sends them (a string, a list of them, or a nested object) → texts. */
export function messagesOf(value) {
  if (value == null) return [];
  if (Array.isArray(value)) return value.flatMap(messagesOf);
  if (typeof value === 'object') return Object.values(value).flatMap(messagesOf);
  return [String(value)];
}
