// The password rule (issue 11), as the server applies it (app/domain/passwords.py): at least 10 characters, not
// containing the username, not one of the first guesses. The browser checks it to say so at once; the server
// checks it again and has the last word.

export const MIN_LENGTH = 10;

// The server's short list of first guesses (it may hold more: its answer still shows next to the field).
const COMMON = new Set([
  '1234567890', '0123456789', '12345678910', '1234567890a', '123456789a', 'a123456789', '1qaz2wsx3edc',
  'qwertyuiop', 'qwerty1234', '1q2w3e4r5t', 'password12', 'password123', 'password1234', 'passw0rd12',
  'iloveyou12', 'woaini1314', '5201314520', '1314520520', 'abc1234567', 'abcd123456', 'aa12345678',
  'admin12345', 'admin123456', 'administrator', 'closeloop1', 'closeloop123', 'changeme123', 'welcome123',
  'letmein123', 'qazwsxedcr', 'asdfghjkl1', 'zxcvbnm123', '1111111111', '0000000000', '8888888888',
  '6666666666', '1234512345', '1234554321', '9876543210', 'p@ssw0rd12', 'p@ssword123', 'anquan12345',
  'yinhuan1234',
]);

/** Why a password will not do, as an i18n key and its values ([key, vars]), or null when it will. */
export function passwordProblem(password, username = '') {
  const value = String(password ?? '');
  if ([...value].length < MIN_LENGTH) return ['pw_too_short', { n: MIN_LENGTH }];
  const lowered = value.toLowerCase();
  const name = String(username ?? '').trim().toLowerCase();
  if (name && lowered.includes(name)) return ['pw_has_username'];
  if (COMMON.has(lowered) || new Set(lowered).size <= 2) return ['pw_too_common'];
  return null;
}

// What the server may say about a new password (fields.new_password / current_password) → the same texts.
const SAID = [
  [/^At least (\d+) characters\.$/, (m) => ['pw_too_short', { n: m[1] }]],
  [/^Must not contain the username\.$/, () => ['pw_has_username']],
  [/^Too common\b/, () => ['pw_too_common']],
  [/^Choose a password different from the current one\.$/, () => ['pw_same_as_current']],
  [/^Wrong password\.$/, () => ['pw_wrong_current']],
];

/** A server message about a password → [i18n key, vars], or null when it is one not known here. */
export function passwordMessage(message) {
  const text = String(message ?? '').trim();
  for (const [pattern, make] of SAID) {
    const match = text.match(pattern);
    if (match) return make(match);
  }
  return null;
}
