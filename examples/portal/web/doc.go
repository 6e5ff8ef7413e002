// Package web is the reference one-stop portal: an http.Handler, built only
// on net/http and html/template, that joins the six parts of the national
// model programme (ひとり親家庭等に対するワンストップ相談体制強化事業) on the
// onestop library. It is an example to read and copy from, not a product:
// every page is a plain form post (it works without JavaScript), and every
// read of a family's data goes through casefile's decisions for the
// logged-in department.
//
// Resident side (Japanese, mobile first):
//
//   - /chat — ① the FAQ chat (chatbot), with the DV override and hand-off;
//     「対象か調べる」 opens the input form.
//   - /check — ② the input form (forms), page by page: forms.Next after each
//     page asks only what the rules still need; the result shows where each
//     programme stands (amounts, reasons, what is still to confirm). Going
//     on asks what the record needs and the consents (③), and
//     forms.CreateCase records it all; the family gets a receipt number and
//     an access code shown once.
//   - /my — with that number and code: the consents (for themself and the
//     children), the disclosure register (who received their data), and
//     withdrawal; /my/apply — ⑤ an online application filled from the record
//     by forms.Prefill, within the consent.
//
// Staff side (/staff, login per department with roles): the case list and
// the case as the department may see it (casefile.Service.ReadCase), the
// desk's consultations, conferences, tasks and referrals, applications
// received, audit verification, and the 実施状況 report (⑥) with small-count
// suppression and server-rendered SVG charts.
//
// Secure by default: CSRF tokens and cross-origin checks on every post,
// HttpOnly SameSite cookies (Secure and __Host- over TLS), idle and
// absolute session expiry, html/template escaping, a strict
// Content-Security-Policy (no inline script or style), no personal data in
// URLs or logs, rate limits on the chat, the form and the logins.
//
// Files, by part: resident_chat.go (①), resident_check.go and
// resident_record.go (②③), resident_access.go (③), resident_apply.go (⑤),
// staff_*.go (③⑥), seed.go (demo data); app.go, routes.go, security.go,
// sessions.go, ratelimit.go and passwords.go are the plumbing any portal
// needs. See examples/portal/README.md.
package web
