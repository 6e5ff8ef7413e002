// Package report aggregates the anonymous facts of a fiscal year (Facts,
// collected by casefile.Service) into the tables of the annual
// 実施状況報告書 and of EBPM statistics: consultations by topic and by
// channel per month, records shared by receiving department per month,
// and notifications per channel per month, with Japanese labels.
//
// No table may identify a family. Counts from 1 to K−1 (K = 3 by default)
// are suppressed (秘匿, shown as "X"), totals included, and Suppress hides
// further cells until the published table — visible counts and totals,
// the sums, counts ≥ 0 — leaves every hidden cell more than one value and
// every small count possibly 0 or possibly K or more. The check is exact:
// the values a hidden cell can take form an integer interval, computed as
// a network-flow problem (Audit returns them for any published table). A
// suppressed cell carries no count, in Go or in JSON.
//
// A table published twice for one period can be subtracted from itself;
// suppression inside one table cannot prevent that. casefile.Service.Report
// therefore releases a fiscal year once, after it has closed, and returns
// the stored release from then on (docs/casefile.md, "Reports").
package report
