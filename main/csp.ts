/** The Content-Security-Policy of the renderer, in Electron and in web mode alike: only the app's
 *  own files, no inline or eval'd scripts, no remote content. 'wasm-unsafe-eval' lets three.js-free
 *  wasm (none today) compile; styles may be set inline by React's style attribute. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
