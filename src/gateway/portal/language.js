/* global document, location, localStorage, URLSearchParams */
// Indonesian first; English on request (the button, or ?lang=en), remembered in this browser.
const stored = () => {
  try {
    return localStorage.getItem('penghubung-lang');
  } catch {
    return null;
  }
};

function apply(language) {
  document.documentElement.lang = language;
  for (const button of document.querySelectorAll('button.language')) button.textContent = language === 'id' ? 'English' : 'Bahasa Indonesia';
}

const requested = new URLSearchParams(location.search).get('lang');
apply(requested === 'en' || requested === 'id' ? requested : stored() === 'en' ? 'en' : 'id');

for (const button of document.querySelectorAll('button.language')) {
  button.addEventListener('click', () => {
    const next = document.documentElement.lang === 'id' ? 'en' : 'id';
    apply(next);
    try {
      localStorage.setItem('penghubung-lang', next);
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  });
}
