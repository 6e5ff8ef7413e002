// Package outreach is push-type support (プッシュ型支援): it finds the
// families the municipality's records show may now receive support they
// do not receive, and tells them — only those who asked to be told, only
// through a contact they chose, never through one a DV等支援措置 protects,
// only inside the hours they said are safe, and never twice for the same
// programme and period.
//
// The model, in the order of a run:
//
//   - Cases. Runner.Run reads the desk's cases through
//     casefile.Service.OutreachCases: every person is decided by their own
//     consent for the notification purpose (支援情報の通知; no statutory
//     basis), DV measures extended to the household, and the reads are
//     audited page by page. Any other iterator of casefile.OutreachCase
//     values can be given instead (RunOptions.Cases).
//   - Screening. Each household is screened on the date (基準日) by the
//     eligibility engine. A programme is worth a notice when it is
//     eligible, or undetermined only for facts the family can answer and
//     that are not 要配慮 (see DefaultAuthorityFacts), has texts
//     (Messages), and is not already received, suspended or applied for.
//   - Channels and times. The subject's contacts that are usable (chosen,
//     not protected, not shared with a counterparty) are the channels, the
//     preferred one first; their safe times, in the person's own words
//     (ParseSafeTimes: 「平日9時〜12時、土日祝日」), give the send window,
//     planned within the municipality's SendingHours and the next days
//     (national holidays included); words that cannot be read make a
//     contact unusable rather than guessed at.
//   - The outbox. Notices are written with casefile.Service.PlanNotifications,
//     which decides each again from the store and writes the entry with its
//     audit entry in one transaction. The key is person, programme and
//     period (Period), so a run that stops part-way is simply run again.
//     A dry run writes nothing and reports what would be sent.
//   - Sending. A Dispatcher claims the notices that are due
//     (casefile.Service.ClaimNotifications decides once more and only then
//     reads the destination), checks the safe window, renders the text
//     (Messages: standard Japanese or やさしい日本語, per channel, with an
//     amount only where the person chose it and consent covers it) and
//     hands it to the vendor's Notifier with an idempotency key; failures
//     are retried with backoff, a channel that keeps failing gives way to
//     the next one the person allowed, and the sender's later receipts
//     come back through Dispatcher.Status.
//
// A Report counts what a run did and why the rest was not notified, by
// reason, with no personal data; `onestop outreach` prints it as a
// Japanese table.
//
// A run streams: cases are read a page at a time and memory does not grow
// with their number, except that a dry run remembers a 64-bit hash of each
// notice it counted (about 30 bytes a notice) so as to count a person met
// twice once. docs/outreach.md (Performance) gives the figures of a run
// over 1,340,000 households and where its time goes.
//
// outreach sends nothing itself and decides nothing about entitlement: a
// notice says the family may qualify and where to apply; the 認定 stays
// with the authority.
package outreach
