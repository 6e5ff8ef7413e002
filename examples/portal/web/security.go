package web

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// contentSecurityPolicy allows nothing but this origin's own scripts,
// styles and images; no inline script or style, no frames, forms only to
// this origin. Charts are inline SVG with presentation attributes, which
// the policy does not restrict.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// maxBody bounds every request body (a form page is a few kilobytes).
const maxBody = 256 << 10

// secureHeaders sets the headers every response carries.
func (a *App) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if a.opts.Secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			// pages hold personal data: never cached, by the browser or
			// a proxy
			h.Set("Cache-Control", "no-store")
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logRequests writes one line per request: the route pattern (never the
// path, which may hold an id, nor the query or the body), the status and
// the duration. Client addresses are not logged either.
func (a *App) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				// the panic value may hold personal data: log only where
				a.log.Error("panic", "route", r.Pattern)
				if sw.status == 0 {
					http.Error(sw, "内部エラーが発生しました。", http.StatusInternalServerError)
				}
			}
			route := r.Pattern
			if route == "" {
				route = r.Method + " (no route)"
			}
			a.log.Info("request", "route", route, "status", sw.status, "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientKey is the rate-limit key of the client's address. Behind a
// reverse proxy, take the address the proxy reports instead (and only
// from a proxy you trust).
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
