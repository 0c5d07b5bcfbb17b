import { app, authentication } from '@microsoft/teams-js';
import { LANG_KEY, STATE_KEY, authEndResult } from './consent';
import { messagesFor } from './messages';

/**
 * Where Entra returns the consent window: tells Teams how it went (notifySuccess / notifyFailure),
 * and Teams closes the window and answers the tab's authenticate() call. The authorization code
 * is never used or passed on: consent is all the tab needed.
 */
function start(): void {
  const m = messagesFor(window.sessionStorage.getItem(LANG_KEY) ?? navigator.language);
  document.documentElement.lang = m.lang;
  document.title = m.authEnd.title;
  const result = authEndResult(window.location.hash, window.location.search, window.sessionStorage.getItem(STATE_KEY));
  window.sessionStorage.removeItem(STATE_KEY);
  // Keep the code out of the history and of anything that reads this window's address later.
  window.history.replaceState(null, '', window.location.pathname);

  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  status.textContent = result.ok ? m.authEnd.done : m.authEnd.failed;
  const main = document.createElement('main');
  const h1 = document.createElement('h1');
  h1.textContent = m.authEnd.title;
  main.append(h1, status);
  document.body.replaceChildren(main);

  app
    .initialize()
    .then(() => {
      if (result.ok) authentication.notifySuccess('consented');
      else authentication.notifyFailure(result.reason);
    })
    .catch(() => {
      status.textContent = m.authEnd.standalone;
    });
}

start();
