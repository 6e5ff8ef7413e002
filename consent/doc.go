// Package consent records residents' consents (同意) and decides, deny by
// default, whether a staff member may use or receive a person's data.
//
// A Consent belongs to one data subject: each household member consents for
// their own data, a 法定代理人 (legal representative) for a child. Like an
// HL7 FHIR R5 Consent with base decision "deny", it holds Provisions that
// permit recipients (departments, contractors, other bodies) to perform
// actions (view, copy, notify, update) for purposes (相談対応,
// 関係部署での共有, 支援情報の通知, オンライン申請, 委託先での取扱い, 統計)
// on data categories (基本情報 … 健康・障害, DV関連), each with at most one
// level of exceptions that deny. 健康・障害 (要配慮個人情報) and DV関連 are covered
// only when named, never by the wildcard "*"; My Number is never in scope.
//
// A consent's state is never stored: it is derived from an append-only Log
// of Events (given, amended, reconfirmed, withdrawn, expired, corrected),
// as in ISO/IEC TS 27560. Compile a Policy (the events, the DV等支援措置
// Restrictions, the contractors' Contracts and the statutory Mandates) into
// a Decider and call Decide with a Request (actor, subject, action, purpose,
// categories, time). The order is fixed: hard denies (My Number; a DV
// counterparty; masks outside the responsible desk), then a statute the
// actor explicitly asserts and holds (要保護児童対策地域協議会, 支援会議, …;
// always flagged for review), then consent, then deny. The Decision says
// what is permitted, what is withheld and why, what to mask, the basis
// (consent ids or statute) and the caller's Obligations.
//
// Redaction works on a View, a flat list of Fields (path, category,
// subject, value) that a record store builds from its own records:
// Decider.Redact decides per subject and returns a RedactedView in which
// denied fields are absent and listed as Withheld. NewReceipt renders what a
// person agreed to (JSON, or Japanese text with Text), and RecipientsToTell
// lists, from the caller's disclosure history, whom to tell after a
// withdrawal. Times are always parameters; dates are shown in Japan time.
// The package imports nothing else from this module.
package consent
