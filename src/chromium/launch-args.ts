/**
 * Chromium's command line. Letters are untrusted and confidential: the browser
 * must not reach any host, not even a DNS server, whatever a page or Chromium's
 * own services (updates, field trials, safe browsing, metrics) would like to do.
 */
export const launchArgs: readonly string[] = [
  // Debian's Chromium runs headless as root in containers without a sandbox or a GPU.
  '--no-sandbox',
  '--disable-gpu',
  // Nothing to draw on a GPU, even a software one: no GPU process and no SwiftShader (0.15 s less CPU at every launch).
  '--in-process-gpu',
  '--disable-software-rasterizer',
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
  // Features that fetch from Google's servers on their own; and the omnibox popups, web pages that Chromium
  // (even headless) preloads in a renderer of their own: 1.3 s of CPU after every launch, beside the build's own work.
  '--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying,InterestFeedContentSuggestions,SafeBrowsingEnhancedProtection,WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

/** Puppeteer's defaults for a headless launch (`defaultArgs()` of puppeteer-core 24), which letterpress's prints were made with. */
const puppeteerFlags = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
];
const puppeteerDisabledFeatures = ['Translate', 'AcceptCHFrame', 'MediaRouter', 'OptimizationHints', 'WebUIReloadButton', 'ProcessPerSiteUpToMainFrameThreshold', 'IsolateSandboxedIframes'];

/**
 * Chromium's whole command line, after the executable, for a profile in
 * `userDataDir`: exactly what `puppeteer.launch({ headless: true, pipe: true,
 * userDataDir, args: launchArgs })` runs (a test compares the two), so that
 * letterpress can start Chromium before Puppeteer is loaded. Puppeteer merges
 * our disabled features into its own list. `extra` flags come after ours.
 */
export function chromiumCommandLine(userDataDir: string, extra: readonly string[] = []): string[] {
  const features = '--disable-features=';
  const ours = launchArgs.filter((arg) => !arg.startsWith(features));
  const ourDisabled = launchArgs.filter((arg) => arg.startsWith(features)).flatMap((arg) => arg.slice(features.length).split(','));
  return [
    ...puppeteerFlags,
    `${features}${[...puppeteerDisabledFeatures, ...ourDisabled].join(',')}`,
    '--enable-features=PdfOopif',
    `--user-data-dir=${userDataDir}`,
    '--headless=new',
    '--hide-scrollbars',
    '--mute-audio',
    '--disable-extensions',
    'about:blank',
    ...ours,
    ...extra,
    '--remote-debugging-pipe',
  ];
}
