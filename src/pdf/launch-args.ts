/**
 * Chromium's command line. Letters are untrusted and confidential: the browser
 * must not reach any host, not even a DNS server, whatever a page or Chromium's
 * own services (updates, field trials, safe browsing, metrics) would like to do.
 */
export const launchArgs: readonly string[] = [
  // Debian's Chromium runs headless as root in containers without a sandbox or a GPU.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  '--no-first-run',
  // Every host name resolves to nothing, so no request and no DNS query leaves the machine.
  // Puppeteer talks to Chromium over a pipe (`pipe: true`), so not even loopback is needed.
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--no-proxy-server',
  '--proxy-bypass-list=*',
  // Chromium's own background traffic: updates, field trials, metrics, safe browsing, sync.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-field-trial-config',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-pings',
  '--safebrowsing-disable-auto-update',
  // No crash reporter: it would upload, and its handler process is not Chromium's child.
  '--disable-breakpad',
  '--disable-crash-reporter',
  // No keyring (D-Bus, macOS keychain): nothing to store, and no prompt on a desktop.
  '--password-store=basic',
  '--use-mock-keychain',
  // Features that fetch from Google's servers on their own.
  '--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying,InterestFeedContentSuggestions,SafeBrowsingEnhancedProtection',
];
