import { LANG_KEY, STATE_KEY, authorizeUrl, codeChallengeOf, randomToken } from './consent';
import { messagesFor } from './messages';

/**
 * The first page of the consent window that authentication.authenticate() opens: it sends the user
 * to Entra's consent prompt (or the sandbox's), remembering a state value that auth-end checks.
 */
async function start(): Promise<void> {
  // The tab passes its language; the window's own is the fallback. auth-end, on Entra's redirect, reads it back.
  const lang = new URLSearchParams(window.location.search).get('lang') ?? navigator.language;
  const m = messagesFor(lang);
  window.sessionStorage.setItem(LANG_KEY, m.lang);
  document.documentElement.lang = m.lang;
  document.title = m.authStart.title;
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  status.textContent = m.authStart.redirecting;
  const main = document.createElement('main');
  const h1 = document.createElement('h1');
  h1.textContent = m.authStart.title;
  main.append(h1, status);
  document.body.replaceChildren(main);

  const state = randomToken();
  const target = authorizeUrl(new URLSearchParams(window.location.search), new URL(window.location.href), state, await codeChallengeOf(randomToken()));
  if (!target) {
    status.textContent = m.authStart.invalid;
    return;
  }
  window.sessionStorage.setItem(STATE_KEY, state);
  window.location.replace(target);
}

void start();
