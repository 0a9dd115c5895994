/* global document, window */
// The try-it console: Swagger UI (window.SwaggerUIBundle, from swagger-ui-dist on the hub) over
// /openapi.json. The developer signs in with their own API key; it is kept in this page's memory
// only (never stored), so closing the tab signs out.
const form = document.querySelector('[data-testid="sign-in"]');
const keyInput = form.querySelector('[data-testid="api-key"]');
const signOut = form.querySelector('[data-testid="sign-out"]');
const signedIn = form.querySelector('[data-testid="signed-in"]');

const ui = window.SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // Nothing leaves the hub: no online validator badge.
  validatorUrl: null,
  tryItOutEnabled: true,
  persistAuthorization: false,
  displayOperationId: true,
  filter: true,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});

function show(isSignedIn) {
  signedIn.hidden = !isSignedIn;
  signOut.hidden = !isSignedIn;
  keyInput.disabled = isSignedIn;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return;
  ui.preauthorizeApiKey('apiKey', key);
  keyInput.value = '';
  show(true);
});

signOut.addEventListener('click', () => {
  ui.authActions.logout(['apiKey', 'bearer']);
  show(false);
  keyInput.focus();
});
