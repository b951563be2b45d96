/** The Content-Security-Policy of the renderer, in Electron and in web mode alike (the same policy
 *  stands in renderer/index.html): only the app's own files, no inline or eval'd scripts, no inline
 *  style sheets, no remote content. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
